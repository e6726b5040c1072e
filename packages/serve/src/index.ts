/**
 * `@ektm/serve`: an HTTP prediction server for saved ektm models. It speaks the KServe v1 protocol, validates
 * requests against the model's features, micro-batches concurrent requests in front of the engine (TensorFlow.js,
 * or onnxruntime on the exported ONNX graph), exports Prometheus metrics, drains on SIGTERM and reloads on SIGHUP.
 * `ektm serve` (in `@ektm/cli`) is the command line for it.
 *
 * @packageDocumentation
 */
export type { InferenceEngine, LoadedEngine, EngineLoadOptions, EngineLoader } from './engine/inference-engine.js';
export { loadTfjsEngine } from './engine/tfjs-engine.js';
export { loadOnnxEngine } from './engine/onnx-engine.js';
export { ENGINES, engineNames, findEngine } from './engine/engines.js';
export { RequestError } from './request/request-error.js';
export { parsePredictBody } from './request/predict-body.js';
export { concatTables } from './batching/concat-tables.js';
export { BatcherClosedError, MICRO_BATCH_DEFAULTS, MicroBatcher } from './batching/micro-batcher.js';
export type { BatchReport, MicroBatchOptions } from './batching/micro-batcher.js';
export { ServerMetrics } from './metrics/server-metrics.js';
export type { ServeErrorKind } from './metrics/server-metrics.js';
export { loadServedModel, modelVersion } from './model/served-model.js';
export type { LoadServedModelOptions, ServedModel } from './model/served-model.js';
export { SERVE_DEFAULTS } from './server/serve-options.js';
export type { ServeDefaults, ServeOptions } from './server/serve-options.js';
export { PredictionServer } from './server/prediction-server.js';
export type { StopResult } from './server/prediction-server.js';
export { runUntilStopped } from './server/run-until-stopped.js';
export type { RunUntilStoppedOptions } from './server/run-until-stopped.js';
