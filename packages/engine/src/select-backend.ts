/**
 * Tries backends in order and switches tfjs to the first that loads and initialises. Separate from
 * `initEngine` (which adds options from the environment, caching and the log line) so that tests can hand it
 * candidates that fail the way a half-installed native package does.
 */
import { engine, ready, setBackend, version_core } from '@tensorflow/tfjs-core';
import { removeAddedProcessListeners, snapshotProcessListeners } from './process-listeners.js';
import { describeFailure } from './backend-candidates.js';
import { registerGradients } from './gradients.js';
import type { BackendCandidate } from './backend-candidates.js';
import { BACKEND_ENV, ENGINE_BACKENDS } from './engine-options.js';
import type { EngineAttempt, EngineBackend, EngineInfo } from './engine-options.js';
import { patchKernelsFor, restoreKernels } from './kernel-patches.js';
import { installedWasmDirectory } from './wasm-binaries.js';
import { initialiseWasmWithThreads } from './wasm-threads.js';
import { patchLayersExecutor } from './layers-executor-patch.js';
import { webGpuAdapter } from './webgpu-backend.js';
import { assertSupportedTfjs, UnsupportedTfjsVersionError, wasmVersionOf } from './tfjs-versions.js';
import { EngineConfigError } from './engine-config-error.js';

/** What `selectBackend` is asked for. */
export interface BackendRequest {
  /** Only this backend, failing instead of falling through. */
  forced?: EngineBackend;
  /** How the forced backend was asked for, to begin error messages and the reason: `EKTM_BACKEND=wasm`. */
  forcedBy?: string;
  /** See `EngineOptions.wasmPath`. */
  wasmPath?: string | false;
  /** See `EngineOptions.patchKernels`. */
  patchKernels?: boolean;
  /** tfjs backend to switch back to when a forced backend fails (the one running before). */
  restoreTo?: string;
  /** See `EngineOptions.wasmThreads`. */
  wasmThreads?: number;
}

/** Points the wasm backend at the installed binaries; only matters before its first initialisation. */
async function locateWasmBinaries(wasmModule: unknown, wasmPath: string | false | undefined): Promise<void> {
  if (wasmPath === false || engine().registry['wasm'] != null) return;
  const prefix = wasmPath ?? (await installedWasmDirectory());
  if (prefix === undefined) return;
  const mod = wasmModule as { setWasmPaths?: (p: string) => void; default?: { setWasmPaths?: (p: string) => void } };
  const setWasmPaths = mod.setWasmPaths ?? mod.default?.setWasmPaths;
  try {
    setWasmPaths?.(prefix);
  } catch {
    // A previous initialisation aborted; tfjs refuses new paths and reports the real failure on init.
  }
}

/** Loads a candidate's package, installs its kernel patches and makes it the active tfjs backend; returns wasm's thread count. */
async function activate(candidate: BackendCandidate, request: BackendRequest): Promise<number | undefined> {
  const listeners = snapshotProcessListeners();
  const module = await candidate.load(request.forced === candidate.backend);
  if (candidate.backend === 'wasm') {
    assertSupportedTfjs('@tensorflow/tfjs-backend-wasm', wasmVersionOf(module));
    await locateWasmBinaries(module, request.wasmPath);
  }
  // Before setBackend, so that the wrapped kernels' setup runs when the backend initialises.
  if (request.patchKernels === false) {
    if (candidate.backend === 'wasm' || candidate.backend === 'cpu') restoreKernels(candidate.backend);
  } else {
    patchKernelsFor(candidate.backend);
  }
  let wasmThreads: number | undefined;
  const wasmApi = module as { getThreadsCount?: () => number; default?: { getThreadsCount?: () => number } };
  const threaded = candidate.backend === 'wasm' && (request.wasmThreads ?? 1) > 1 && engine().registry['wasm'] == null;
  if (threaded) {
    wasmThreads = await initialiseWasmWithThreads(
      (wasmApi.getThreadsCount ? wasmApi : (wasmApi.default ?? {})) as Parameters<typeof initialiseWasmWithThreads>[0],
      request.wasmThreads!,
      () => setBackend(candidate.tfjsName),
    );
  } else if (!(await setBackend(candidate.tfjsName))) {
    // Caught by selectBackend, which records it as this candidate's failure.
    throw new Error(`tf.setBackend('${candidate.tfjsName}') failed to initialise it (tfjs logged the cause above)`);
  }
  await ready();
  // Emscripten's rethrowing error listeners would print every later application error from inside the backend.
  removeAddedProcessListeners(listeners);
  if (candidate.backend === 'wasm' && wasmThreads === undefined) {
    try {
      wasmThreads = (wasmApi.getThreadsCount ?? wasmApi.default?.getThreadsCount)?.();
    } catch {
      wasmThreads = undefined;
    }
  }
  if (candidate.backend === 'cpu') {
    // Its first write prints a banner recommending tfjs-node; initEngine's log line already says that.
    const cpu = engine().registry['cpu'] as { firstUse?: boolean } | undefined;
    if (cpu && 'firstUse' in cpu) cpu.firstUse = false;
  }
  return wasmThreads;
}

/**
 * Activates the forced candidate, or the first that works. Throws, naming the package and how to install
 * it, when the forced one fails, and listing every failure when none works; throws `UnsupportedTfjsVersionError`
 * at once when tfjs-layers or a wasm backend of another release than the supported one is loaded.
 */
export async function selectBackend(candidates: readonly BackendCandidate[], request: BackendRequest = {}): Promise<EngineInfo> {
  assertSupportedTfjs('@tensorflow/tfjs-layers', await registerGradients());
  // Backend-independent: a multi-output layer must run once per model call (see layers-executor-patch.ts).
  patchLayersExecutor();
  const { forced } = request;
  const tried = forced ? candidates.filter((c) => c.backend === forced) : candidates;
  const attempts: EngineAttempt[] = [];
  for (const candidate of tried) {
    let wasmThreads: number | undefined;
    try {
      wasmThreads = await activate(candidate, request);
    } catch (error) {
      // A wasm backend of another release is installed: say so rather than fall through to the slow cpu backend.
      if (error instanceof UnsupportedTfjsVersionError) {
        if (request.restoreTo) await setBackend(request.restoreTo).catch(() => false);
        throw error;
      }
      attempts.push({ backend: candidate.backend, error: describeFailure(candidate, error) });
      continue;
    }
    attempts.push({ backend: candidate.backend });
    const info: EngineInfo = {
      backend: candidate.backend,
      reason: reasonFor(candidate.backend, attempts, request),
      attempts,
      tfjsVersion: version_core,
    };
    if (wasmThreads !== undefined) info.wasmThreads = wasmThreads;
    const adapter = candidate.backend === 'webgpu' ? webGpuAdapter() : undefined;
    if (adapter) info.gpuAdapter = adapter;
    return info;
  }
  // Nothing worked: leave tfjs on the backend it ran before (a failed setBackend leaves it on none).
  if (request.restoreTo) await setBackend(request.restoreTo).catch(() => false);
  if (forced) {
    const by = request.forcedBy ?? `backend ${forced}`;
    const failure = attempts[0]?.error ?? `no candidate provides ${forced}`;
    const stays = request.restoreTo ? ` The engine stays on ${request.restoreTo}.` : '';
    // The backend asked for does not work here: a config error (exit code 2), naming how it was asked for.
    throw new EngineConfigError(
      `${by}: ${failure}. Leave it unset to use the first backend that works.${stays}`,
      request.forcedBy?.startsWith(BACKEND_ENV) ? BACKEND_ENV : 'backend',
    );
  }
  // An environment problem (no backend installed works): plain Error, exit code 1.
  throw new Error(`No TensorFlow.js backend works: ${attempts.map((a) => `${a.backend}: ${a.error}`).join('; ')}`);
}

function reasonFor(backend: EngineBackend, attempts: EngineAttempt[], request: BackendRequest): string {
  if (request.forced) return `forced by ${request.forcedBy ?? `backend ${backend}`}`;
  const failed = attempts.filter((a) => a.error !== undefined);
  if (failed.length === 0) return `first choice of ${ENGINE_BACKENDS.join(', ')}`;
  return `first that works of ${ENGINE_BACKENDS.join(', ')}; ${failed.map((a) => `${a.backend}: ${a.error}`).join('; ')}`;
}
