/**
 * The ONNX form of a {@link DenseStack} at inference: dense layers with their activation, batch norm from the
 * moving statistics or layer norm, and no dropout. The stack's weights live on its owning layer under
 * `<prefix><i>/kernel`, `bias`, `gamma`, `beta`, `moving_mean`, `moving_variance`, which is how this finds them.
 */
import type { layers } from '@tensorflow/tfjs-layers';
import { findLayerWeight, emitLayerWeight, hasLayerWeight } from '../onnx/onnx-emitters.js';
import type { OnnxGraphBuilder } from '../onnx/onnx-graph-builder.js';
import { onnxActivation, onnxDense, onnxScalar } from '../onnx/onnx-ops.js';
import type { DenseActivation, DenseStackOptions } from './dense-stack.js';

/** Must equal dense-stack.ts' epsilon of batch and layer norm. */
const NORM_EPSILON = 1e-3;

/** Number of layers of the dense stack `prefix` on `layer` (counted from its weights). */
export function denseStackDepth(layer: layers.Layer, prefix: string): number {
  let depth = 0;
  while (hasLayerWeight(layer, `${prefix}${depth}/kernel`)) depth++;
  return depth;
}

/** Output units of each layer of the dense stack `prefix` on `layer`, read from its kernels. */
export function denseStackUnits(layer: layers.Layer, prefix: string): number[] {
  return Array.from(
    { length: denseStackDepth(layer, prefix) },
    (_, i) => findLayerWeight(layer, `${prefix}${i}/kernel`).shape[1] as number,
  );
}

/**
 * Emits the dense stack `prefix` of `layer` applied to `x` at inference, with the options the stack was built with
 * (their `units` must match the weights); returns the output's value name.
 */
export function emitDenseStack(
  graph: OnnxGraphBuilder,
  layer: layers.Layer,
  prefix: string,
  options: DenseStackOptions,
  x: string,
): string {
  const depth = denseStackDepth(layer, prefix);
  if (depth !== options.units.length) {
    throw new Error(`layer "${layer.name}": dense stack "${prefix}" has ${depth} layers of weights, its options ${options.units.length}`);
  }
  const activation = options.activation ?? 'relu';
  let h = x;
  for (let i = 0; i < depth; i++) {
    const last = i === depth - 1;
    const linearLast = last && options.activateLast === false;
    const act: DenseActivation = linearLast ? 'linear' : activation;
    const normalization = linearLast ? 'none' : (options.normalization ?? 'none');
    const weight = (name: string) => emitLayerWeight(graph, layer, `${prefix}${i}/${name}`);
    if (normalization === 'none') {
      h = onnxDense(graph, h, weight('kernel'), weight('bias'), act);
      continue;
    }
    const z = onnxDense(graph, h, weight('kernel'), weight('bias'), 'linear');
    const normed =
      normalization === 'layer'
        ? graph.op('LayerNormalization', [z, weight('gamma'), weight('beta')], { axis: -1, epsilon: { float: NORM_EPSILON } })
        : batchNorm(graph, z, weight);
    h = onnxActivation(graph, normed, act);
  }
  return h;
}

/** tfjs' `batchNorm` with the moving statistics: `(z − mean) · gamma / sqrt(variance + ε) + beta`. */
function batchNorm(graph: OnnxGraphBuilder, z: string, weight: (name: string) => string): string {
  const std = graph.op('Sqrt', [graph.op('Add', [weight('moving_variance'), onnxScalar(graph, NORM_EPSILON, 'epsilon')])]);
  const scaled = graph.op('Div', [graph.op('Mul', [graph.op('Sub', [z, weight('moving_mean')]), weight('gamma')]), std]);
  return graph.op('Add', [scaled, weight('beta')]);
}
