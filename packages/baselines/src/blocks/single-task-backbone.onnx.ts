/** The ONNX emitter of {@link SingleTaskBackbone}: one network per task, batched. */
import { registerOnnxEmitter, type OnnxEmitter } from '@ektm/core';
import { emitExpertsShared } from '../experts/batched-experts.onnx.js';
import { emitUnstackSlots } from '../experts/gating.onnx.js';
import { SingleTaskBackbone } from './single-task-backbone.js';

/** `$input → {task: network_task($input)}`. */
export const emitSingleTaskBackboneOnnx: OnnxEmitter<SingleTaskBackbone> = (block, inputs, graph, context) => {
  const count = block.tasks.length;
  const group = { layer: block, prefix: 'task', count, inputDim: context.inputShapes[0]![1] as number, options: block.bottom };
  return emitUnstackSlots(graph, emitExpertsShared(graph, group, inputs[0]!), count, block.bottom.units[block.bottom.units.length - 1]!);
};
registerOnnxEmitter(SingleTaskBackbone.className, emitSingleTaskBackboneOnnx);
