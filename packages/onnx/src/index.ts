/**
 * `@ektm/onnx`: ektm models as one ONNX graph for serving outside Node (onnxruntime in Python, C++, Java, ...;
 * Triton; KServe), with the preprocessing contract that turns raw rows into the graph's inputs. Every block
 * emits its own part of the graph through the emitter registered beside it (`registerOnnxEmitter` in
 * `@ektm/core`), so custom compositions export with no new code.
 *
 * @packageDocumentation
 */
export { exportOnnx, ONNX_BATCH_DIM, ONNX_FEATURES_METADATA, ONNX_MODEL_METADATA, ONNX_TASKS_METADATA } from './export-onnx.js';
export type { OnnxExport, OnnxExportOptions, OnnxInputInfo, OnnxOutputInfo } from './export-onnx.js';
export { OnnxGraph } from './onnx-graph.js';
export type { FinishedOnnxGraph, OnnxDim, OnnxGraphInitializer, OnnxGraphNode, OnnxValueInfo } from './onnx-graph.js';
export { describeOnnxModel, encodeOnnxModel, ONNX_IR_VERSION, ONNX_OPSET } from './encode-onnx-model.js';
export type { OnnxModelInfo } from './encode-onnx-model.js';
export { compareOnnxWithPredict, onnxFeeds, runOnnx } from './onnx-runtime.js';
export type { OnnxFeed, OnnxParity } from './onnx-runtime.js';
export { onnxPreprocessing, PREPROCESSING_FORMAT, PREPROCESSING_VERSION } from './preprocessing-contract.js';
export type { OnnxInputEncoding, OnnxNumericTransform, OnnxPreprocessing, OnnxPreprocessingInput } from './preprocessing-contract.js';
export { tritonModelConfig, tritonModelName } from './triton-config.js';
export type { TritonOptions } from './triton-config.js';
export {
  ONNX_MODEL_FILE,
  PREPROCESSING_FILE,
  PYTHON_ENCODER_FILE,
  pythonReferenceEncoder,
  TRITON_DIRECTORY,
  writeOnnxExport,
} from './write-onnx-export.js';
export type { ExportableModel, WriteOnnxExportOptions, WrittenOnnxExport } from './write-onnx-export.js';
export { randomEncodedTable, verifyOnnxExport } from './verify-onnx-export.js';
export type { VerifyOnnxOptions } from './verify-onnx-export.js';
