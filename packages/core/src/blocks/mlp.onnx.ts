/** The ONNX emitter of {@link Mlp}: its dense stack at inference. */
import { emitDenseStack } from '../layers/dense-stack.onnx.js';
import { registerOnnxEmitter, type OnnxEmitter } from '../onnx/onnx-emitters.js';
import { Mlp } from './mlp.js';

/** `<key> → <outputKey>` through the MLP (no dropout). */
export const emitMlpOnnx: OnnxEmitter<Mlp> = (block, inputs, graph) => [emitDenseStack(graph, block, 'dense', block.options, inputs[0]!)];
registerOnnxEmitter(Mlp.className, emitMlpOnnx);
