export {
  BACKEND_ENV,
  ENGINE_BACKENDS,
  parseEngineBackend,
  QUIET_ENV,
  type EngineAttempt,
  type EngineBackend,
  type EngineInfo,
  type EngineOptions,
} from './engine-options.js';
export { engineInfo, initEngine } from './init-engine.js';
export { patchCpuKernels, patchedKernels, patchKernelsFor, patchWasmKernels, restoreKernels } from './kernel-patches.js';
export { layersExecutorPatched, patchLayersExecutor } from './layers-executor-patch.js';
export { parseWasmThreads, WASM_THREADS_ENV } from './wasm-threads.js';
export { createFusedAdam, FusedAdamOptimizer } from './fused-adam.js';
export { EngineConfigError } from './engine-config-error.js';
export { SUPPORTED_TFJS_VERSION, UnsupportedTfjsVersionError, type GuardedTfjsPackage } from './tfjs-versions.js';
export { describeAdapter, isSoftwareAdapter, mayHaveGpu, webGpuAdapter, type GpuAdapterInfo } from './webgpu-backend.js';
