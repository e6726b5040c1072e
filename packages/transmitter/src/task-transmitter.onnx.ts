/** The ONNX emitter of {@link TaskTransmitter}, for every kind. */
import { emitDenseStack, emitLayerWeight, onnxDense, registerOnnxEmitter, type OnnxEmitter } from '@ektm/core';
import { TaskTransmitter } from './task-transmitter.js';

/**
 * `[routed:<task>, <task>]` (or `[<task>]` without a router) → `transmitted:<task>`: F_i unchanged (`identity`),
 * `MLP(F_i)` (`mlp`) or `σ(W[F_i; f_i] + b) ⊙ MLP(F_i)` (`gated-mlp`), without dropout.
 */
export const emitTaskTransmitterOnnx: OnnxEmitter<TaskTransmitter> = (block, inputs, graph, context) => {
  const routed = inputs[0]!;
  if (block.kind === 'identity') return [routed];
  const ownIndex = inputs.length === 1 ? 0 : 1;
  const ownShape = context.inputShapes[ownIndex]!;
  const units = block.units ?? [ownShape[ownShape.length - 1] as number];
  const mlp = { units, activation: block.activation, activateLast: block.activateLast };
  const knowledge = emitDenseStack(graph, block, 'mlp', mlp, routed);
  if (block.kind === 'mlp') return [knowledge];
  const joined = graph.op('Concat', [routed, inputs[ownIndex]!], { axis: -1 });
  const gate = onnxDense(
    graph,
    joined,
    emitLayerWeight(graph, block, 'gate/kernel'),
    emitLayerWeight(graph, block, 'gate/bias'),
    'sigmoid',
  );
  return [graph.op('Mul', [gate, knowledge])];
};
registerOnnxEmitter(TaskTransmitter.className, emitTaskTransmitterOnnx);
