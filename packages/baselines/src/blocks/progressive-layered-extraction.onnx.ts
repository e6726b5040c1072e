/** The ONNX emitter of {@link ProgressiveLayeredExtraction} (PLE; one level is CGC). */
import { emitLayerWeight, onnxInt64s, onnxReshape, onnxStack, registerOnnxEmitter, type OnnxEmitter } from '@ektm/core';
import { emitExpertsEach, emitExpertsShared, type OnnxExpertGroup } from '../experts/batched-experts.onnx.js';
import { emitMixExperts, emitSoftmaxGates } from '../experts/gating.onnx.js';
import { ProgressiveLayeredExtraction } from './progressive-layered-extraction.js';

/**
 * Level by level as `callBlock`: each level's experts (with that level's units) (level 0 on `$input`, later levels each on its group's input),
 * one gate per task over its own and the shared experts, and a shared gate over all experts on every level but the
 * last. Returns one representation per task, then the last level's task gates `[B, T, taskExperts + sharedExperts]`.
 */
export const emitProgressiveLayeredExtractionOnnx: OnnxEmitter<ProgressiveLayeredExtraction> = (block, inputs, graph, context) => {
  const t = block.tasks.length;
  const perLevel = t * block.taskExperts + block.sharedExperts;
  const groupOfExpert = Array.from({ length: perLevel }, (_, j) => Math.min(Math.floor(j / block.taskExperts), t));
  const shared = Array.from({ length: block.sharedExperts }, (_, k) => t * block.taskExperts + k);
  let taskInputs = block.tasks.map(() => inputs[0]!);
  let sharedInput = inputs[0]!;
  let lastGates: string[] = [];
  for (let level = 0; level < block.levels; level++) {
    const width = block.levelWidth(level);
    const group: OnnxExpertGroup = {
      layer: block,
      prefix: `level${level}/expert`,
      count: perLevel,
      inputDim: level === 0 ? (context.inputShapes[0]![1] as number) : block.levelWidth(level - 1),
      options: block.levelExpert(level),
    };
    const experts =
      level === 0
        ? emitExpertsShared(graph, group, sharedInput)
        : emitExpertsEach(
            graph,
            group,
            graph.op('Gather', [onnxStack(graph, [...taskInputs, sharedInput], 0), onnxInt64s(graph, groupOfExpert, 'groups')], {
              axis: 0,
            }),
          );
    const gate = (g: number, x: string, size: number) => {
      const kernel = emitLayerWeight(graph, block, `level${level}/gate${g}/kernel`);
      const bias = emitLayerWeight(graph, block, `level${level}/gate${g}/bias`);
      return emitSoftmaxGates(graph, graph.op('Add', [graph.op('MatMul', [x, kernel]), bias]), 1, size, block.gateTemperature);
    };
    const gates = block.tasks.map((_, i) => gate(i, taskInputs[i]!, block.taskExperts + block.sharedExperts));
    const nextTaskInputs = block.tasks.map((_, i) => {
      const own = Array.from({ length: block.taskExperts }, (_, k) => i * block.taskExperts + k);
      const selected = graph.op('Gather', [experts, onnxInt64s(graph, [...own, ...shared], 'experts')], { axis: 1 });
      return onnxReshape(graph, emitMixExperts(graph, gates[i]!, selected), [-1, width]);
    });
    if (level < block.levels - 1) {
      sharedInput = onnxReshape(graph, emitMixExperts(graph, gate(t, sharedInput, perLevel), experts), [-1, width]);
    }
    taskInputs = nextTaskInputs;
    lastGates = gates;
  }
  return [...taskInputs, lastGates.length === 1 ? lastGates[0]! : graph.op('Concat', lastGates, { axis: 1 })];
};
registerOnnxEmitter(ProgressiveLayeredExtraction.className, emitProgressiveLayeredExtractionOnnx);
