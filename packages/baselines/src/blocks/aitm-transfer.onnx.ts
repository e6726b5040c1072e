/** The ONNX emitter of {@link AitmTransfer}: attention over a task's own and the transferred representation. */
import { emitLayerWeight, onnxReduceSum, onnxScalar, onnxStack, registerOnnxEmitter, type OnnxEmitter } from '@ektm/core';
import { AitmTransfer } from './aitm-transfer.js';

/**
 * For each step k of the chain, as `callBlock` (without dropout): `info = relu(W z_{k−1} + b)`, queries, keys and
 * values of `[own, info]`, attention `softmax(⟨q, k⟩ / √d)`, and `z_k = Σ_u w_u · v_u`. Returns the chain's new
 * representations, then the attention weights `[B, T − 1, 2]`.
 */
export const emitAitmTransferOnnx: OnnxEmitter<AitmTransfer> = (block, inputs, graph, context) => {
  const shape = context.inputShapes[0]!;
  const d = shape[shape.length - 1] as number;
  const outputs = [inputs[0]!];
  const weights: string[] = [];
  block.chain.slice(1).forEach((_, k) => {
    const w = (name: string) => emitLayerWeight(graph, block, `transfer${k}/${name}`);
    const info = graph.op('Relu', [graph.op('Add', [graph.op('MatMul', [outputs[k]!, w('info/kernel')]), w('info/bias')])]);
    const items = onnxStack(graph, [inputs[k + 1]!, info], 1); // [B, 2, d]: own, transferred
    const [q, key, v] = ['query', 'key', 'value'].map((m) => graph.op('MatMul', [items, w(m)]));
    const scores = graph.op('Div', [
      onnxReduceSum(graph, graph.op('Mul', [q!, key!]), [-1], false),
      onnxScalar(graph, Math.sqrt(d), 'sqrt_d'),
    ]);
    const attention = graph.op('Softmax', [scores], { axis: -1 }); // [B, 2]
    outputs.push(onnxReduceSum(graph, graph.op('Mul', [onnxStack(graph, [attention], 2), v!]), [1], false));
    weights.push(attention);
  });
  return [...outputs, onnxStack(graph, weights, 1)];
};
registerOnnxEmitter(AitmTransfer.className, emitAitmTransferOnnx);
