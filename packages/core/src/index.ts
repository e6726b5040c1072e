export * from './features/feature-spec.js';
export * from './data/encoded-table.js';
export * from './data/table-source.js';
export * from './tasks/task-spec.js';
export * from './util/seeds.js';
export * from './util/stop-gradient.js';
export * from './composition/record-keys.js';
export * from './composition/tfjs-types.js';
export * from './composition/task-block.js';
export * from './composition/task-record.js';
export * from './tasks/loss-terms.js';
export * from './tasks/task-masks.js';
export * from './layers/dense-stack.js';
export * from './layers/feature-embedding.js';
export * from './blocks/mlp.js';
export * from './blocks/shared-bottom.js';
export * from './blocks/task-tower.js';
export * from './blocks/product-head.js';
export * from './model/model-spec.js';
export * from './model/multi-task-model.js';
export * from './model/build-model.js';
export {
  BACKEND_ENV,
  ENGINE_BACKENDS,
  parseEngineBackend,
  QUIET_ENV,
  type EngineAttempt,
  type EngineBackend,
  type EngineInfo,
  type EngineOptions,
  engineInfo,
  initEngine,
  patchCpuKernels,
  patchedKernels,
  patchKernelsFor,
  patchWasmKernels,
  restoreKernels,
  layersExecutorPatched,
  patchLayersExecutor,
  initialiseWasmWithThreads,
  parseWasmThreads,
  WASM_THREADS_ENV,
  createFusedAdam,
  FusedAdamOptimizer,
  SUPPORTED_TFJS_VERSION,
  UnsupportedTfjsVersionError,
  type GuardedTfjsPackage,
} from '@ektm/engine';
export * from './metrics/auc.js';
export * from './metrics/gauc.js';
export * from './metrics/logloss.js';
export * from './metrics/calibration.js';
export * from './metrics/format.js';
export * from './metrics/task-metrics.js';
export * from './metrics/monitor.js';
export * from './persistence/atomic-directory.js';
export * from './persistence/checkpoint.js';
export * from './training/train-options.js';
export * from './training/optimizers.js';
export * from './training/gradient-clipping.js';
export * from './training/loss-weighting.js';
export * from './training/batches.js';
export * from './training/progress.js';
export * from './training/evaluate.js';
export * from './training/non-finite-loss-error.js';
export * from './training/early-stopping.js';
export * from './training/train-step.js';
export * from './training/train.js';
export { fileSystemHandler } from './persistence/file-system-handler.js';
export { EKTM_JSON, MODEL_JSON, SAVED_MODEL_FILES, WEIGHTS_BIN } from './persistence/model-files.js';
export * from './persistence/saved-model-metadata.js';
export * from './persistence/save-model.js';
export type { LoadedModel } from './persistence/loaded-model.js';
export * from './persistence/load-model.js';
export * from './persistence/load-model-from-url.js';
export * from './composition/config-strings.js';
export * from './data/check-table.js';
export { EktmError, isEktmError, type EktmErrorKind } from './errors/ektm-error.js';
export { ConfigError } from './errors/config-error.js';
export { DataError, type DataErrorLocation } from './errors/data-error.js';
export { ModelFileError } from './errors/model-file-error.js';
export { InterruptedError } from './errors/interrupted-error.js';
export {
  optionAt,
  optionPaths,
  optionValueProblem,
  validateOptions,
  type OptionDoc,
  type OptionSchema,
  type OptionSchemaFor,
  type OptionType,
} from './registry/option-schema.js';
export {
  resolveSearchKey,
  splitSearchPoint,
  validateSearchSpace,
  type Distribution,
  type DistributionKind,
  type SearchPointOptions,
  type SearchSpace,
  type SearchTarget,
} from './registry/search-space.js';
export {
  COMMON_MODEL_OPTION_SCHEMA,
  COMMON_SEARCH_SPACE,
  DENSE_STACK_OPTION_SCHEMA,
  type ModelBuildOptions,
} from './registry/common-model-options.js';
export { defineModel, type ModelDefinition, type ModelFamily, type TaskAdaptation, type TaskSupport } from './registry/model-definition.js';
export { ModelRegistry, type ModelPlan } from './registry/model-registry.js';
export { EARLY_STOPPING_OPTION_SCHEMA, TRAIN_OPTION_SCHEMA } from './training/train-option-schema.js';
export { closestName } from './util/closest-name.js';
export type {
  OnnxAttributeValue,
  OnnxDataType,
  OnnxFloatAttribute,
  OnnxFloatsAttribute,
  OnnxGraphBuilder,
  OnnxNodeOptions,
} from './onnx/onnx-graph-builder.js';
export {
  emitLayerWeight,
  findLayerWeight,
  getOnnxEmitter,
  hasLayerWeight,
  registeredOnnxEmitters,
  registerOnnxEmitter,
  type OnnxEmitContext,
  type OnnxEmitter,
} from './onnx/onnx-emitters.js';
export { onnxActivation, onnxDense, onnxInt64s, onnxReduceSum, onnxReshape, onnxScalar, onnxSlot, onnxStack } from './onnx/onnx-ops.js';
export { denseStackDepth, denseStackUnits, emitDenseStack } from './layers/dense-stack.onnx.js';
export { emitFeatureEmbeddingOnnx } from './layers/feature-embedding.onnx.js';
export { emitMlpOnnx } from './blocks/mlp.onnx.js';
export { emitSharedBottomOnnx } from './blocks/shared-bottom.onnx.js';
export { emitTaskTowerOnnx } from './blocks/task-tower.onnx.js';
export { emitProductHeadOnnx } from './blocks/product-head.onnx.js';
