export * from './router-similarity.js';
export * from './task-router.js';
export { emitTaskRouterOnnx } from './task-router.onnx.js';
