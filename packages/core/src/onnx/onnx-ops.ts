/**
 * Small ONNX building blocks shared by the emitters: dense layers, activations, stacking and slicing along an
 * axis. Each mirrors the tfjs op the blocks use, so that the exported graph computes what `predict` computes.
 */
import type { DenseActivation } from '../layers/dense-stack.js';
import type { OnnxGraphBuilder } from './onnx-graph-builder.js';

/** An int64 vector constant (indices, shapes, axes). */
export function onnxInt64s(graph: OnnxGraphBuilder, values: readonly number[], hint = 'ints'): string {
  return graph.constant(values, [values.length], 'int64', hint);
}

/** A float32 scalar constant. */
export function onnxScalar(graph: OnnxGraphBuilder, value: number, hint = 'scalar'): string {
  return graph.constant([value], [], 'float32', hint);
}

/** An activation by name, as `applyActivation` computes it (`leakyrelu` with alpha 0.2, `relu6` = clip to [0, 6]). */
export function onnxActivation(graph: OnnxGraphBuilder, x: string, activation: DenseActivation): string {
  switch (activation) {
    case 'relu':
      return graph.op('Relu', [x]);
    case 'sigmoid':
      return graph.op('Sigmoid', [x]);
    case 'elu':
      return graph.op('Elu', [x], { alpha: { float: 1 } });
    case 'relu6':
      return graph.op('Clip', [x, onnxScalar(graph, 0, 'zero'), onnxScalar(graph, 6, 'six')]);
    case 'leakyrelu':
      return graph.op('LeakyRelu', [x], { alpha: { float: 0.2 } });
    case 'linear':
      return x;
  }
}

/** `activation(x · kernel + bias)`, for inputs of any rank with the features last (tfjs' `denseFused`). */
export function onnxDense(
  graph: OnnxGraphBuilder,
  x: string,
  kernel: string,
  bias: string | undefined,
  activation: DenseActivation,
): string {
  const product = graph.op('MatMul', [x, kernel]);
  return onnxActivation(graph, bias === undefined ? product : graph.op('Add', [product, bias]), activation);
}

/** `tf.stack(values, axis)`: each value gets a new axis, then they are concatenated along it. */
export function onnxStack(graph: OnnxGraphBuilder, values: readonly string[], axis: number): string {
  const axes = onnxInt64s(graph, [axis], 'axes');
  const expanded = values.map((v) => graph.op('Unsqueeze', [v, axes]));
  return expanded.length === 1 ? expanded[0]! : graph.op('Concat', expanded, { axis });
}

/** Slot `index` of `axis`, the axis removed (`tf.unstack(x, axis)[index]`). */
export function onnxSlot(graph: OnnxGraphBuilder, x: string, index: number, axis: number): string {
  return graph.op('Gather', [x, graph.constant([index], [], 'int64', 'index')], { axis });
}

/** `tf.reshape(x, shape)`; `-1` infers one dimension. */
export function onnxReshape(graph: OnnxGraphBuilder, x: string, shape: readonly number[]): string {
  return graph.op('Reshape', [x, onnxInt64s(graph, shape, 'shape')]);
}

/** `tf.sum(x, axes, keepDims)` (opset 13+: the axes are an input). */
export function onnxReduceSum(graph: OnnxGraphBuilder, x: string, axes: readonly number[], keepDims: boolean): string {
  return graph.op('ReduceSum', [x, onnxInt64s(graph, axes, 'axes')], { keepdims: keepDims ? 1 : 0 });
}
