export { splitFeatures, type FeatureSpec, type CategoricalFeatureSpec, type NumericFeatureSpec } from './features/feature-spec.js';
export { takeRows, type EncodedTable } from './data/encoded-table.js';
export { type TableSource } from './data/table-source.js';
export { resolveTasks, towerTasks, type TaskSpec, type ResolvedTaskSpec } from './tasks/task-spec.js';
export { seededRandom, SeedSequence } from './util/seeds.js';
export { stopGradient } from './util/stop-gradient.js';
export { probKey, diagKey, INPUT_KEY } from './composition/record-keys.js';
export { type LayerArgs, type Kwargs, type Shape, type ConfigValue, type ConfigDict } from './composition/tfjs-types.js';
export { type TaskBlockArgs, TaskBlock } from './composition/task-block.js';
export { applyBlock, type TaskRecord } from './composition/task-record.js';
export {
  registerLossKind,
  getLossKind,
  binaryCrossEntropy,
  maskedMean,
  column,
  type LossTermSpec,
  type LossContext,
  type LossKind,
  EPSILON,
} from './tasks/loss-terms.js';
export { taskLabelsAndMasks, toLabelTensors } from './tasks/task-masks.js';
export {
  validateDenseStackOptions,
  denseFused,
  applyActivation,
  type DenseActivation,
  DENSE_ACTIVATIONS,
  type DenseStackOptions,
  type Initializer,
  type WeightFactory,
  DenseStack,
} from './layers/dense-stack.js';
export { type FeatureEmbeddingArgs, FeatureEmbedding } from './layers/feature-embedding.js';
export { type MlpArgs, Mlp } from './blocks/mlp.js';
export { type SharedBottomArgs, SharedBottom } from './blocks/shared-bottom.js';
export { type TaskTowerArgs, TaskTower } from './blocks/task-tower.js';
export { type ProductHeadArgs, ProductHead } from './blocks/product-head.js';
export { MODEL_SPEC_FORMAT, MODEL_SPEC_VERSION, type ModelSpec } from './model/model-spec.js';
export { tableInputs, type ModelInputs, MultiTaskModel } from './model/multi-task-model.js';
export { buildMultiTaskModel, type BlockContext, type BlockOption, type MultiTaskModelOptions } from './model/build-model.js';
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
  parseWasmThreads,
  WASM_THREADS_ENV,
  createFusedAdam,
  FusedAdamOptimizer,
  EngineConfigError,
  SUPPORTED_TFJS_VERSION,
  UnsupportedTfjsVersionError,
  type GuardedTfjsPackage,
  describeAdapter,
  isSoftwareAdapter,
  mayHaveGpu,
  webGpuAdapter,
  type GpuAdapterInfo,
} from '@ektm/engine';
export { auc } from './metrics/auc.js';
export { gauc, type GaucResult } from './metrics/gauc.js';
export { logloss } from './metrics/logloss.js';
export { calibration, type CalibrationResult } from './metrics/calibration.js';
export { formatMetric } from './metrics/format.js';
export { evaluateTasks, type TaskMetrics, type TaskMetricsOptions, TaskMetricsAccumulator } from './metrics/task-metrics.js';
export { monitorValue, type MonitorMetric, type Monitor, type MonitorInput, type MonitorValue } from './metrics/monitor.js';
export {
  writeFileSynced,
  writeFileAtomic,
  replaceDirectory,
  recoverDirectory,
  type FileContent,
  type ReplaceDirectoryOptions,
} from './persistence/atomic-directory.js';
export {
  writeCheckpoint,
  readCheckpoint,
  applyCheckpoint,
  optimizerState,
  applyBestWeights,
  disposeCheckpoint,
  CHECKPOINT_DIRECTORY,
  CHECKPOINT_JSON,
  type OptimizerWeight,
  type CheckpointData,
  type Checkpoint,
} from './persistence/checkpoint.js';
export {
  type OptimizerName,
  OPTIMIZER_NAMES,
  type LossWeightingName,
  type EarlyStoppingOptions,
  type BatchLogs,
  type EpochLogs,
  type TrainControl,
  type TrainCallbacks,
  type TrainOptions,
  type TrainResult,
  type ValidationPoint,
} from './training/train-options.js';
export { createOptimizer } from './training/optimizers.js';
export { createLossWeighting, type LossWeighting } from './training/loss-weighting.js';
export { formatDuration, type ProgressMode, type ProgressStream } from './training/progress.js';
export { evaluate, type EvaluateOptions } from './training/evaluate.js';
export { TrainingDivergedError, NonFiniteLossError, NonFiniteWeightError } from './training/non-finite-loss-error.js';
export { type EarlyStoppingState, type TrainingPoint } from './training/early-stopping.js';
export { type TrainStepOptions, TrainStep } from './training/train-step.js';
export { train } from './training/train.js';
export { fileSystemHandler } from './persistence/file-system-handler.js';
export { EKTM_JSON, MODEL_JSON, SAVED_MODEL_FILES, WEIGHTS_BIN } from './persistence/model-files.js';
export {
  EKTM_CORE_VERSION,
  SAVED_MODEL_FORMAT,
  SAVED_MODEL_VERSION,
  type FileChecksum,
  type PackageVersions,
  type SavedModelMetadata,
} from './persistence/saved-model-metadata.js';
export { saveModel, type SaveModelOptions } from './persistence/save-model.js';
export type { LoadedModel } from './persistence/loaded-model.js';
export { loadModel } from './persistence/load-model.js';
export { loadModelFromUrl, type LoadModelFromUrlOptions } from './persistence/load-model-from-url.js';
export { checkTableFeatures, TableFeatureError, type CheckTableOptions } from './data/check-table.js';
export { EktmError, isEktmError, type EktmErrorKind } from './errors/ektm-error.js';
export { ConfigError } from './errors/config-error.js';
export { DataError, type DataErrorLocation } from './errors/data-error.js';
export { ModelFileError } from './errors/model-file-error.js';
export { InterruptedError } from './errors/interrupted-error.js';
export {
  optionAt,
  optionPaths,
  optionValueProblem,
  rejectUnknownKeys,
  validateOptions,
  type OptionDoc,
  type OptionSchema,
  type OptionSchemaFor,
  type OptionType,
  type OptionValueProblem,
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
  type ResolvedSearchKey,
} from './registry/search-space.js';
export {
  COMMON_MODEL_OPTION_SCHEMA,
  COMMON_SEARCH_SPACE,
  DENSE_STACK_OPTION_SCHEMA,
  type ModelBuildOptions,
} from './registry/common-model-options.js';
export { defineModel, type ModelDefinition, type ModelFamily, type TaskAdaptation, type TaskSupport } from './registry/model-definition.js';
export { ModelRegistry, type ModelPlan, type AnyDefinition } from './registry/model-registry.js';
export { EARLY_STOPPING_OPTION_SCHEMA, TRAIN_CALLBACKS_SCHEMA, TRAIN_OPTION_SCHEMA } from './training/train-option-schema.js';
export { checkNotCollapsed, CollapsedModelError, constantPredictions } from './training/collapse-check.js';
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
export { isTableSource } from './training/batches.js';
export { searchKeyActive, searchKeyOrder, type SearchCondition } from './registry/search-space.js';
export { shuffledIndices } from './training/batches.js';
