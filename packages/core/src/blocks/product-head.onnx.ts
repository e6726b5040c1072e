/** The ONNX emitter of {@link ProductHead}: the product of its factors' probabilities. */
import { registerOnnxEmitter, type OnnxEmitter } from '../onnx/onnx-emitters.js';
import { ProductHead } from './product-head.js';

/** `prob:<factor>… → prob:<task>`, multiplied left to right as `callBlock` does. */
export const emitProductHeadOnnx: OnnxEmitter<ProductHead> = (_block, inputs, graph) => [
  inputs.slice(1).reduce((product, p) => graph.op('Mul', [product, p]), inputs[0]!),
];
registerOnnxEmitter(ProductHead.className, emitProductHeadOnnx);
