/**
 * The TensorFlow.js versions this engine supports, and the guard that refuses any other.
 *
 * The kernel patches wrap tfjs-backend-wasm's own kernels and read its backend internals (the heap, the data map,
 * the compiled `BatchMatMul`), the threads shim rewrites its loader's exact source text, and the executor patch
 * hooks tfjs-layers' `Layer.apply`. All of that was written and checked against one release; under another, a
 * patch could compute wrong values silently. So `initEngine` compares the versions actually loaded and stops with
 * an error naming the supported one, instead of training on a backend nobody checked. The packages are pinned to it
 * as exact peer dependencies too; the guard catches a copy that npm or a bundler substituted anyway.
 */

/** The one tfjs release (core, layers and the wasm backend alike) whose internals the engine was checked against. */
export const SUPPORTED_TFJS_VERSION = '4.22.0';

/** The tfjs packages whose loaded version `initEngine` checks. */
export type GuardedTfjsPackage = '@tensorflow/tfjs-core' | '@tensorflow/tfjs-layers' | '@tensorflow/tfjs-backend-wasm';

/** A tfjs package of another version than {@link SUPPORTED_TFJS_VERSION} was loaded. */
export class UnsupportedTfjsVersionError extends Error {
  /** The class name, shown in stack traces and by `String(error)`. */
  override readonly name = 'UnsupportedTfjsVersionError';

  constructor(
    /** The package whose loaded copy has the wrong version. */
    readonly packageName: GuardedTfjsPackage,
    /** The version loaded (`unknown` when the package did not say). */
    readonly loaded: string,
    /** The version supported. */
    readonly supported: string = SUPPORTED_TFJS_VERSION,
  ) {
    super(
      `${packageName} ${loaded} is loaded, but @ektm/engine supports ${packageName} ${supported} only ` +
        `(its kernel patches are written against that release's internals). ` +
        `Install exactly that version: npm install ${packageName}@${supported}`,
    );
  }
}

/** Throws {@link UnsupportedTfjsVersionError} unless `loaded` is the supported version. */
export function assertSupportedTfjs(packageName: GuardedTfjsPackage, loaded: string | undefined): void {
  if (loaded !== SUPPORTED_TFJS_VERSION) throw new UnsupportedTfjsVersionError(packageName, loaded ?? 'unknown');
}

/** The `version_wasm` a loaded `@tensorflow/tfjs-backend-wasm` module exports (ESM namespace or CJS default). */
export function wasmVersionOf(wasmModule: unknown): string | undefined {
  const mod = wasmModule as { version_wasm?: unknown; default?: { version_wasm?: unknown } } | null;
  const version = mod?.version_wasm ?? mod?.default?.version_wasm;
  return typeof version === 'string' ? version : undefined;
}
