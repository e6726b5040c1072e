export { transmittedKey, type TransmitterKind, TRANSMITTER_KINDS, type TaskTransmitterArgs, TaskTransmitter } from './task-transmitter.js';
export { emitTaskTransmitterOnnx } from './task-transmitter.onnx.js';
