export * from './enhancement-losses.js';
export * from './task-enhancer.js';
export { emitTaskEnhancerOnnx } from './task-enhancer.onnx.js';
