/**
 * Picks the TensorFlow.js backend at run time: `@tensorflow/tfjs-node-gpu`, then `@tensorflow/tfjs-node`,
 * then wasm, then the pure-JS cpu backend, the first that loads and initialises. The native packages are
 * optional peers that cannot install everywhere (their install script downloads libtensorflow), so each is
 * imported dynamically and any error falls through to the next. `EKTM_BACKEND` or `{ backend }` forces one.
 *
 * ```ts
 * const info = await initEngine();   // stderr: "ektm: TensorFlow.js backend wasm (tfjs 4.22.0), first that works ..."
 * info.backend;                      // 'wasm'
 * ```
 */
import { getBackend, setBackend, version_core } from '@tensorflow/tfjs-core';
import { BACKEND_CANDIDATES } from './backend-candidates.js';
import { BACKEND_ENV, parseEngineBackend, QUIET_ENV } from './engine-options.js';
import type { EngineBackend, EngineInfo, EngineOptions } from './engine-options.js';
import { patchKernelsFor, restoreKernels } from './kernel-patches.js';
import { selectBackend } from './select-backend.js';
import { assertSupportedTfjs } from './tfjs-versions.js';
import { parseWasmThreads, WASM_THREADS_ENV } from './wasm-threads.js';
import { describeAdapter } from './webgpu-backend.js';

/** The engine picked so far; undefined before the first successful `initEngine`. */
let current: EngineInfo | undefined;
/** Calls run one after another, so that concurrent callers share one selection. */
let queue: Promise<unknown> = Promise.resolve();

function readEnv(name: string): string | undefined {
  return typeof process !== 'undefined' ? process.env?.[name] : undefined;
}

function tfjsNameOf(backend: EngineBackend): string {
  // 'webgpu', 'wasm', 'cpu' register under their own names; both native packages as 'tensorflow'.
  return backend === 'tensorflow-gpu' ? 'tensorflow' : backend;
}

function copy(info: EngineInfo): EngineInfo {
  return { ...info, attempts: info.attempts.map((a) => ({ ...a })), ...(info.gpuAdapter ? { gpuAdapter: { ...info.gpuAdapter } } : {}) };
}

function log(line: string): void {
  if (typeof process !== 'undefined' && process.stderr?.write) process.stderr.write(`${line}\n`);
  else console.warn(line);
}

/**
 * Initialises the engine and resolves to which backend runs and why. Idempotent: a later call without a
 * different forced backend returns the same engine (switching tfjs back to it if something else was set).
 * A forced backend other than the running one is tried; if it fails, the error names the package and how
 * to install it, and the running engine stays as it was. Throws `UnsupportedTfjsVersionError` when the loaded
 * tfjs-core, tfjs-layers or tfjs-backend-wasm is not the supported release (`SUPPORTED_TFJS_VERSION`). Prints one line to stderr when it picks a backend,
 * unless `quiet` or `EKTM_QUIET=1`.
 */
export function initEngine(options: EngineOptions = {}): Promise<EngineInfo> {
  const run = queue.then(() => initOnce(options));
  queue = run.catch(() => undefined);
  return run;
}

async function initOnce(options: EngineOptions): Promise<EngineInfo> {
  // Before anything is patched: the patches rely on this release's internals (see tfjs-versions.ts).
  assertSupportedTfjs('@tensorflow/tfjs-core', version_core);
  const byOption = parseEngineBackend(options.backend, 'option');
  const byEnv = byOption ? undefined : parseEngineBackend(readEnv(BACKEND_ENV), 'env');
  const forced = byOption ?? byEnv;
  if (current && (forced === undefined || forced === current.backend)) {
    if (options.patchKernels === false) {
      if (current.backend === 'wasm' || current.backend === 'cpu') restoreKernels(current.backend);
    } else {
      patchKernelsFor(current.backend);
    }
    const name = tfjsNameOf(current.backend);
    if (getBackend() !== name) await setBackend(name);
    return copy(current);
  }
  const forcedBy = byOption ? `initEngine({ backend: '${byOption}' })` : byEnv ? `${BACKEND_ENV}=${byEnv}` : undefined;
  const info = await selectBackend(BACKEND_CANDIDATES, {
    forced,
    forcedBy,
    wasmPath: options.wasmPath,
    patchKernels: options.patchKernels,
    wasmThreads: parseWasmThreads(options.wasmThreads, 'option') ?? parseWasmThreads(readEnv(WASM_THREADS_ENV), 'env'),
    restoreTo: current ? tfjsNameOf(current.backend) : undefined,
  });
  current = info;
  const quiet = options.quiet ?? ['1', 'true'].includes(readEnv(QUIET_ENV) ?? '');
  if (!quiet) {
    log(
      `ektm: TensorFlow.js backend ${info.backend}${(info.wasmThreads ?? 1) > 1 ? ` with ${info.wasmThreads} threads` : ''}` +
        `${info.gpuAdapter ? ` on ${describeAdapter(info.gpuAdapter)}` : ''} (tfjs ${info.tfjsVersion}), ${info.reason}. ` +
        `Set ${BACKEND_ENV} to force one, ${QUIET_ENV}=1 to silence this line.`,
    );
  }
  return copy(info);
}

/** Which backend runs and why. Throws before `initEngine` has resolved once. */
export function engineInfo(): EngineInfo {
  // A programming error (engineInfo before initEngine), not a user's config: plain Error.
  if (!current) throw new Error('engineInfo: the engine is not initialised yet; await initEngine() first');
  return copy(current);
}
