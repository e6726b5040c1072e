/**
 * Where the `.wasm` binaries of the loaded `@tensorflow/tfjs-backend-wasm` are, in Node.
 *
 * tfjs looks for them beside its own script, which breaks once that script is bundled or relocated (init then
 * fails with "Make sure the server can serve the `.wasm` file"). In Node both builds of this package load the
 * backend's CommonJS entry, so Node's module cache names the very copy in use: its `dist/` folder holds the
 * binaries that match its JS glue. (No `import.meta` here: the CJS build would lose it.)
 */

const WASM_ENTRY = /[\\/]@tensorflow[\\/]tfjs-backend-wasm[\\/]dist[\\/][^\\/]+\.js$/;

/**
 * The folder holding `tfjs-backend-wasm*.wasm`, with a trailing separator (a prefix for `setWasmPaths`), or
 * undefined outside Node or when the loaded copy is not a file on disk (then tfjs's own lookup applies).
 * Call after importing `@tensorflow/tfjs-backend-wasm`.
 */
export async function installedWasmDirectory(): Promise<string | undefined> {
  if (typeof process === 'undefined' || !process.versions?.node) return undefined;
  try {
    const [{ createRequire }, { dirname, join, sep }, { existsSync }] = await Promise.all([
      import('node:module'),
      import('node:path'),
      import('node:fs'),
    ]);
    const require = createRequire(join(process.cwd(), 'noop.js'));
    const loaded = Object.keys(require.cache).find((file) => WASM_ENTRY.test(file));
    // Not in the cache (a bundler inlined it): the CJS build can still resolve the package from here.
    const entry =
      loaded ?? (typeof __filename === 'string' ? createRequire(__filename).resolve('@tensorflow/tfjs-backend-wasm') : undefined);
    if (entry === undefined) return undefined;
    const dist = dirname(entry);
    return existsSync(join(dist, 'tfjs-backend-wasm.wasm')) ? dist + sep : undefined;
  } catch {
    return undefined;
  }
}
