import * as tf from '@tensorflow/tfjs-core';
import { ConfigError } from '../errors/config-error.js';

/** Gradients after clipping, and their joint norm before it. */
export interface ClippedGradients {
  /** The scaled gradients, keyed like the input. */
  grads: tf.NamedTensorMap;
  /** `sqrt(Σ‖g‖²)` of the gradients before clipping (a scalar). */
  norm: tf.Scalar;
}

/**
 * Scales every gradient by `clipNorm / max(globalNorm, clipNorm)`, where `globalNorm = sqrt(Σ‖g‖²)` over all of
 * them (TensorFlow's `clip_by_global_norm`): the direction is kept and the joint step length is bounded, which
 * keeps one exploding task from blowing up the shared weights. Returns new tensors and the norm before clipping
 * (a scalar); the caller disposes both and the inputs.
 */
export function clipByGlobalNorm(grads: tf.NamedTensorMap, clipNorm: number): ClippedGradients {
  if (!(clipNorm > 0)) throw new ConfigError(`clipByGlobalNorm: clipNorm must be > 0, got ${clipNorm}`, 'clipNorm');
  const names = Object.keys(grads);
  return tf.tidy(() => {
    const norm = tf.sqrt(tf.addN(names.map((n) => tf.sum(tf.square(grads[n]!))))) as tf.Scalar;
    const scale = tf.div(clipNorm, tf.maximum(norm, clipNorm));
    const clipped: tf.NamedTensorMap = {};
    for (const n of names) clipped[n] = tf.mul(grads[n]!, scale);
    return { grads: clipped, norm };
  });
}
