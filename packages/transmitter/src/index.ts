export * from './task-transmitter.js';
export { emitTaskTransmitterOnnx } from './task-transmitter.onnx.js';
