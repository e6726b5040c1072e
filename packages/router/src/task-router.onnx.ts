/** The ONNX emitter of {@link TaskRouter}, for every similarity option. */
import {
  emitLayerWeight,
  onnxDense,
  onnxInt64s,
  onnxReduceSum,
  onnxReshape,
  onnxScalar,
  onnxSlot,
  onnxStack,
  registerOnnxEmitter,
  type OnnxEmitter,
  type OnnxGraphBuilder,
} from '@ektm/core';
import { TaskRouter } from './task-router.js';

/** Must equal router-similarity.ts' logit of an excluded term and its cosine epsilon. */
const EXCLUDED_LOGIT = -1e9;
const NORM_EPSILON = 1e-12;

/**
 * `[...sources, ...targets] → routed:<target>…, diag:<similarity>`, as `callBlock` at inference:
 * F_i = (Σ_s f_s + Σ_t ŝ_it f_t) / (S + |T_i|), with ŝ from `cosine` or `dot` (per sample, learned temperature),
 * `affinity` (a learned T×T matrix, the same for every sample) or `uniform`. Stop-gradients are identities here.
 */
export const emitTaskRouterOnnx: OnnxEmitter<TaskRouter> = (block, inputs, graph, context) => {
  const count = block.sources.length;
  const t = block.targets.length;
  const included = block.includeSelf ? t : t - 1;
  const firstShape = context.inputShapes[0]!;
  const width = block.projectionUnits ?? (firstShape[firstShape.length - 1] as number);
  const weight = (name: string) => emitLayerWeight(graph, block, name);
  const reps =
    block.projectionUnits === undefined
      ? inputs
      : inputs.map((x, k) => onnxDense(graph, x, weight(`projection${k}/kernel`), weight(`projection${k}/bias`), 'linear'));
  const targets = onnxStack(graph, reps.slice(count), 1); // [B, T, d]
  const fullShape = batchShape(graph, targets, [t, t]);

  let total: string | undefined; // Σ_t ŝ_it f_t, [B, T, d]
  let similarity: string; // [B, T, T]
  if (included === 0) {
    similarity = graph.op('ConstantOfShape', [fullShape]);
  } else if (block.similarity === 'uniform' || block.similarity === 'affinity') {
    // The same weights for every sample: a [T, T] matrix, broadcast over the batch.
    let shared: string;
    if (block.similarity === 'uniform') {
      const row = (i: number, j: number) => (block.includeSelf || i !== j ? Math.fround(1 / included) : 0);
      shared = graph.constant(matrix(t, row), [t, t], 'float32', 'uniform_similarity');
    } else {
      const logits = block.includeSelf ? weight('affinity') : graph.op('Add', [weight('affinity'), excludedSelf(graph, t)]);
      shared = graph.op('Softmax', [logits], { axis: -1 });
    }
    total = graph.op('MatMul', [shared, targets]);
    similarity = graph.op('Expand', [shared, fullShape]);
  } else {
    const x = block.similarity === 'cosine' ? l2Normalise(graph, targets) : targets;
    const temperature = graph.op('Exp', [weight('log_temperature')]);
    const scale =
      block.similarity === 'dot' ? graph.op('Mul', [temperature, onnxScalar(graph, Math.sqrt(width), 'sqrt_width')]) : temperature;
    let logits = graph.op('Div', [graph.op('MatMul', [x, graph.op('Transpose', [x], { perm: [0, 2, 1] })]), scale]);
    if (!block.includeSelf) logits = graph.op('Add', [logits, excludedSelf(graph, t)]);
    similarity = graph.op('Softmax', [logits], { axis: -1 });
    total = graph.op('MatMul', [similarity, targets]);
  }
  if (count > 0) {
    const sourceSum = reps.slice(0, count).reduce((acc, x) => graph.op('Add', [acc, x]));
    const expanded = onnxStack(graph, [sourceSum], 1);
    total = total === undefined ? expanded : graph.op('Add', [total, expanded]);
  }
  const routed = graph.op('Div', [total!, onnxScalar(graph, count + included, 'terms')]);
  const perTarget = t === 1 ? [onnxReshape(graph, routed, [-1, width])] : block.targets.map((_, i) => onnxSlot(graph, routed, i, 1));
  return [...perTarget, similarity];
};
registerOnnxEmitter(TaskRouter.className, emitTaskRouterOnnx);

/** `[batch, ...rest]` as an int64 shape, the batch taken from `x`. */
function batchShape(graph: OnnxGraphBuilder, x: string, rest: number[]): string {
  const batch = graph.op('Shape', [x], { start: 0, end: 1 });
  return graph.op('Concat', [batch, onnxInt64s(graph, rest, 'dims')], { axis: 0 });
}

/** Row-major values of a `size × size` matrix. */
function matrix(size: number, value: (i: number, j: number) => number): number[] {
  return Array.from({ length: size * size }, (_, k) => value(Math.floor(k / size), k % size));
}

/** The logits added to drop t = i: `EXCLUDED_LOGIT` on the diagonal. */
function excludedSelf(graph: OnnxGraphBuilder, size: number): string {
  return graph.constant(
    matrix(size, (i, j) => (i === j ? EXCLUDED_LOGIT : 0)),
    [size, size],
    'float32',
    'excluded_self',
  );
}

/** Each row of the last axis divided by its Euclidean norm (with the router's epsilon). */
function l2Normalise(graph: OnnxGraphBuilder, x: string): string {
  const squares = onnxReduceSum(graph, graph.op('Mul', [x, x]), [-1], true);
  return graph.op('Div', [x, graph.op('Sqrt', [graph.op('Add', [squares, onnxScalar(graph, NORM_EPSILON, 'epsilon')])])]);
}
