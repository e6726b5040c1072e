import type { GpuAdapterInfo } from './webgpu-backend.js';
import { EngineConfigError } from './engine-config-error.js';

/**
 * The names, options and report of the compute engine: which TensorFlow.js backend runs the models.
 *
 * - `tensorflow-gpu`: `@tensorflow/tfjs-node-gpu` (libtensorflow with CUDA); fastest where it installs.
 * - `webgpu`: `@tensorflow/tfjs-backend-webgpu` on Dawn's Node binding (`webgpu`); picked automatically only on a
 *   real GPU adapter, forced (`EKTM_BACKEND=webgpu`) also on a software one such as SwiftShader.
 * - `tensorflow`: `@tensorflow/tfjs-node` (native libtensorflow on the CPU).
 * - `wasm`: `@tensorflow/tfjs-backend-wasm` (XNNPACK in WebAssembly); installs everywhere, the default
 *   on a machine without the native packages.
 * - `cpu`: `@tensorflow/tfjs-backend-cpu` (pure JavaScript); the last resort, 20× slower than wasm.
 */
export type EngineBackend = 'tensorflow-gpu' | 'webgpu' | 'tensorflow' | 'wasm' | 'cpu';

/** Every backend, in the order `initEngine` tries them. */
export const ENGINE_BACKENDS: readonly EngineBackend[] = ['tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm', 'cpu'];

/** The environment variable that forces a backend. */
export const BACKEND_ENV = 'EKTM_BACKEND';

/** The environment variable that silences the line saying which backend was picked (`1` silences). */
export const QUIET_ENV = 'EKTM_QUIET';

/** Options of `initEngine`. Every field is optional; environment variables fill the gaps. */
export interface EngineOptions {
  /**
   * Force one backend and fail (naming the package to install) when it does not work, instead of falling
   * through. Default: `EKTM_BACKEND` when set, else the first backend that works in `ENGINE_BACKENDS` order.
   */
  backend?: EngineBackend;
  /** Do not print the line saying which backend was picked. Default: `EKTM_QUIET=1`, else false. */
  quiet?: boolean;
  /**
   * Directory (or URL prefix) holding the `.wasm` binaries. Default: the `dist/` folder of the installed
   * `@tensorflow/tfjs-backend-wasm`, so that a bundled or relocated `@ektm/core` still finds them in Node;
   * `false` leaves tfjs's own lookup alone (e.g. after calling `setWasmPaths` yourself).
   */
  wasmPath?: string | false;
  /**
   * Install the kernel patches for the backend picked (a linear `UnsortedSegmentSum` on wasm and cpu,
   * transposed matMuls on the XNNPACK fast path on wasm). Default true; false only to measure tfjs as shipped.
   */
  patchKernels?: boolean;
  /**
   * XNNPACK threads on the wasm backend in Node (see wasm-threads.ts): the threaded SIMD binary with this many
   * threads, worker threads included. Only at the wasm backend's first initialisation. Default:
   * `EKTM_WASM_THREADS` when set, else 1 (tfjs's own choice, no worker threads in Node).
   */
  wasmThreads?: number;
}

/** One backend that `initEngine` tried, and why it was passed over. */
export interface EngineAttempt {
  /** The backend tried. */
  backend: EngineBackend;
  /** Absent when this backend was picked. */
  error?: string;
}

/** Which backend runs, and why. */
export interface EngineInfo {
  /** The backend picked; it runs every model from now on. */
  backend: EngineBackend;
  /** Why this backend: forced by an option or `EKTM_BACKEND`, or the first that worked. */
  reason: string;
  /** Every backend tried, in order, the picked one last. */
  attempts: EngineAttempt[];
  /** Version of `@tensorflow/tfjs-core`. */
  tfjsVersion: string;
  /** XNNPACK threads of the wasm backend (absent for other backends). */
  wasmThreads?: number;
  /** The GPU adapter of the webgpu backend (absent for other backends). */
  gpuAdapter?: GpuAdapterInfo;
}

/**
 * Reads a backend name given as an option (`from: 'option'`) or in `EKTM_BACKEND` (`from: 'env'`); throws
 * naming the allowed values. Returns undefined for an absent or empty value (pick automatically).
 */
export function parseEngineBackend(value: string | undefined, from: 'env' | 'option' = 'env'): EngineBackend | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const name = value.trim();
  if ((ENGINE_BACKENDS as readonly string[]).includes(name)) return name as EngineBackend;
  const given = from === 'env' ? `${BACKEND_ENV}=${JSON.stringify(value)}` : `initEngine({ backend: ${JSON.stringify(value)} })`;
  const unset = from === 'env' ? `leave ${BACKEND_ENV} unset` : 'leave backend out';
  throw new EngineConfigError(
    `${given}: not a backend; use one of ${ENGINE_BACKENDS.join(', ')} (or ${unset} to pick the first that works)`,
    from === 'env' ? BACKEND_ENV : 'backend',
  );
}
