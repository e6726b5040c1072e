import * as tf from '@tensorflow/tfjs-core';
import { ConfigError } from '@ektm/core';

/**
 * How the router's task similarity ŝ_it is computed. The EKTM paper (arXiv 2605.05730) weights each CVR task's
 * representation by "a normalised task similarity" but the recovered text does not say how it is computed, so
 * every choice is an option:
 * - `cosine` (default): per-sample cosine similarity of f_i and f_t, divided by a temperature, softmax over t;
 * - `dot`: per-sample scaled dot product f_i·f_t / (√d · temperature), softmax over t;
 * - `affinity`: a learned T×T matrix, softmax by row, the same for every sample;
 * - `uniform`: 1/T' for every included t (the ablation without similarity).
 */
export type RouterSimilarity = 'cosine' | 'dot' | 'affinity' | 'uniform';

/** Every allowed {@link RouterSimilarity}, for validation and CLIs. */
export const ROUTER_SIMILARITIES: readonly RouterSimilarity[] = ['cosine', 'dot', 'affinity', 'uniform'];

/** Added to excluded logits (t = i when the self term is off): exp() of it is exactly 0 in float32. */
const EXCLUDED_LOGIT = -1e9;

/** Guards the cosine normalisation of an all-zero representation (a dead ReLU output) against 0/0. */
const NORM_EPSILON = 1e-12;

/** What {@link similarityWeights} needs besides the target representations. */
export interface SimilarityInputs {
  /** The kind of similarity. */
  similarity: RouterSimilarity;
  /** Whether ŝ_ii (a target's weight on itself) is part of the sum. */
  includeSelf: boolean;
  /** `exp(log temperature)`, a scalar-like tensor; required by `cosine` and `dot`. */
  temperature?: tf.Tensor;
  /** The learned `[T, T]` affinity logits; required by `affinity`. */
  affinity?: tf.Tensor;
}

/**
 * The normalised similarities ŝ `[B, T, T]` (row i: the weights of target i over the targets t) from the stacked
 * target representations `[B, T, d]`. Each row sums to 1 over its included terms; excluded terms are exactly 0.
 * With a single target and no self term there is nothing to weight, and the result is all zeros.
 */
export function similarityWeights(targets: tf.Tensor3D, inputs: SimilarityInputs): tf.Tensor3D {
  return tf.tidy(() => {
    const [batch, count, width] = targets.shape;
    const included = inputs.includeSelf ? count : count - 1;
    if (included === 0) return tf.zeros([batch, count, count]) as tf.Tensor3D;
    const offDiagonal = tf.sub(1, tf.eye(count)); // 1 where t ≠ i
    if (inputs.similarity === 'uniform') {
      const row = inputs.includeSelf ? tf.ones([count, count]) : offDiagonal;
      return tf.tile(tf.expandDims(tf.div(row, included), 0), [batch, 1, 1]) as tf.Tensor3D;
    }
    let logits: tf.Tensor;
    if (inputs.similarity === 'affinity') {
      if (!inputs.affinity) throw new ConfigError('similarityWeights: "affinity" needs the affinity matrix', 'similarityWeights');
      logits = tf.tile(tf.expandDims(inputs.affinity, 0), [batch, 1, 1]);
    } else {
      if (!inputs.temperature) throw new ConfigError(`similarityWeights: "${inputs.similarity}" needs a temperature`, 'similarityWeights');
      const x = inputs.similarity === 'cosine' ? l2Normalise(targets) : targets;
      const scale = inputs.similarity === 'dot' ? tf.mul(inputs.temperature, Math.sqrt(width)) : inputs.temperature;
      logits = tf.div(tf.matMul(x, x, false, true), scale);
    }
    if (!inputs.includeSelf) logits = tf.add(logits, tf.mul(tf.eye(count), EXCLUDED_LOGIT));
    return tf.softmax(logits, -1) as tf.Tensor3D;
  });
}

/** Each row of the last axis divided by its Euclidean norm. */
function l2Normalise(x: tf.Tensor3D): tf.Tensor3D {
  return tf.div(x, tf.sqrt(tf.add(tf.sum(tf.square(x), -1, true), NORM_EPSILON)));
}
