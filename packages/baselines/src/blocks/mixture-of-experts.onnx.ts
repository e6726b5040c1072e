/** The ONNX emitter of {@link MixtureOfExperts} (MMoE, OMoE). */
import { emitLayerWeight, registerOnnxEmitter, type OnnxEmitter } from '@ektm/core';
import { emitExpertsShared } from '../experts/batched-experts.onnx.js';
import { emitMixExperts, emitSoftmaxGates, emitUnstackSlots } from '../experts/gating.onnx.js';
import { MixtureOfExperts } from './mixture-of-experts.js';

/** `$input → {task: Σ_e g_t(x)_e · f_e(x)}`, then the gate weights `[B, G, E]`. */
export const emitMixtureOfExpertsOnnx: OnnxEmitter<MixtureOfExperts> = (block, inputs, graph, context) => {
  const x = inputs[0]!;
  const inputDim = context.inputShapes[0]![1] as number;
  const width = block.expert.units[block.expert.units.length - 1]!;
  const experts = emitExpertsShared(graph, { layer: block, prefix: 'expert', count: block.experts, inputDim, options: block.expert }, x);
  const logits = graph.op('Add', [
    graph.op('MatMul', [x, emitLayerWeight(graph, block, 'gate/kernel')]),
    emitLayerWeight(graph, block, 'gate/bias'),
  ]);
  const gates = emitSoftmaxGates(graph, logits, block.gateCount, block.experts, block.gateTemperature);
  const mixed = emitUnstackSlots(graph, emitMixExperts(graph, gates, experts), block.gateCount, width);
  const perTask = block.gating === 'per-task' ? mixed : block.tasks.map(() => mixed[0]!);
  return [...perTask, gates];
};
registerOnnxEmitter(MixtureOfExperts.className, emitMixtureOfExpertsOnnx);
