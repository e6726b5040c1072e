/**
 * Node's file-system and path modules, loaded on first use. Persistence to disk only works in Node, but
 * `@ektm/core` is also imported in browsers (to register its layer classes before `tf.loadLayersModel`), so no
 * module of this package imports `node:*` statically.
 */
export interface NodeModules {
  fs: typeof import('node:fs/promises');
  path: typeof import('node:path');
}

let loaded: Promise<NodeModules> | undefined;

/** Loads the Node modules persistence needs; throws a clear error outside Node. */
export function nodeModules(): Promise<NodeModules> {
  if (typeof process === 'undefined' || !process.versions?.node) {
    return Promise.reject(new Error('saving and loading from a directory needs Node.js; in a browser use loadModelFromUrl(baseUrl)'));
  }
  loaded ??= Promise.all([import('node:fs/promises'), import('node:path')]).then(([fs, path]) => ({ fs, path }));
  return loaded;
}

/** Whether an error is Node's "no such file or directory". */
export function isNotFound(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}
