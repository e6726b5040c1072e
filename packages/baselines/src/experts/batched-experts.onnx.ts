/**
 * The ONNX form of {@link BatchedExperts} at inference (no dropout), reading the experts' weights from the owning
 * layer: layer 0 `<prefix>0/kernel [in, E·u0]` and `bias [E·u0]`, deeper layers `kernel [E, u, u']`, `bias [E, 1, u']`.
 */
import { emitLayerWeight, onnxActivation, onnxReshape, type OnnxGraphBuilder } from '@ektm/core';
import type { layers } from '@tensorflow/tfjs-layers';
import type { ExpertOptions } from './batched-experts.js';

/** Where a group of batched experts lives and what it is. */
export interface OnnxExpertGroup {
  /** The layer that owns the weights. */
  layer: layers.Layer;
  /** Weight-name prefix (`expert`, `level1/expert`, `task`). */
  prefix: string;
  /** Number of experts, E. */
  count: number;
  /** Width of every expert's input. */
  inputDim: number;
  /** The experts' options (units, activation). */
  options: ExpertOptions;
}

/** Every expert applied to the same input `[B, in]` (`BatchedExperts.applyShared`); returns `[B, E, d]`. */
export function emitExpertsShared(graph: OnnxGraphBuilder, group: OnnxExpertGroup, x: string): string {
  const weight = (name: string) => emitLayerWeight(graph, group.layer, `${group.prefix}${name}`);
  const activation = group.options.activation ?? 'relu';
  const first = onnxActivation(graph, graph.op('Add', [graph.op('MatMul', [x, weight('0/kernel')]), weight('0/bias')]), activation);
  const perExpert = onnxReshape(graph, first, [-1, group.count, group.options.units[0]!]);
  if (group.options.units.length === 1) return perExpert;
  return deeper(graph, group, graph.op('Transpose', [perExpert], { perm: [1, 0, 2] }));
}

/** Expert e applied to its own input `xs[e]` (`xs`: `[E, B, in]`, `BatchedExperts.applyEach`); returns `[B, E, d]`. */
export function emitExpertsEach(graph: OnnxGraphBuilder, group: OnnxExpertGroup, xs: string): string {
  const u0 = group.options.units[0]!;
  const weight = (name: string) => emitLayerWeight(graph, group.layer, `${group.prefix}${name}`);
  const kernel = graph.op('Transpose', [onnxReshape(graph, weight('0/kernel'), [group.inputDim, group.count, u0])], { perm: [1, 0, 2] });
  const bias = onnxReshape(graph, weight('0/bias'), [group.count, 1, u0]);
  const first = onnxActivation(graph, graph.op('Add', [graph.op('MatMul', [xs, kernel]), bias]), group.options.activation ?? 'relu');
  if (group.options.units.length === 1) return graph.op('Transpose', [first], { perm: [1, 0, 2] });
  return deeper(graph, group, first);
}

/** Layers 1… on `[E, B, u]`; returns `[B, E, d]`. */
function deeper(graph: OnnxGraphBuilder, group: OnnxExpertGroup, h: string): string {
  let out = h;
  for (let i = 1; i < group.options.units.length; i++) {
    const kernel = emitLayerWeight(graph, group.layer, `${group.prefix}${i}/kernel`);
    const bias = emitLayerWeight(graph, group.layer, `${group.prefix}${i}/bias`);
    out = onnxActivation(graph, graph.op('Add', [graph.op('MatMul', [out, kernel]), bias]), group.options.activation ?? 'relu');
  }
  return graph.op('Transpose', [out], { perm: [1, 0, 2] });
}
