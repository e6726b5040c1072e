import * as tf from '@tensorflow/tfjs-core';

/** A weight to watch, with the name an error reports. */
export interface NamedWeight {
  /** The name in errors (the tfjs weight name, e.g. `tower_click/dense0/kernel`). */
  name: string;
  /** Its variable. */
  variable: tf.Variable;
}

/**
 * Watches weights for NaN and ±Infinity on the device. The loss alone misses a divergence whose predictions saturate
 * (the clipped cross-entropy stays finite while the weights are already NaN), and a checkpoint of such weights would
 * be useless. {@link flags} is one small reduction per weight and no read-back: the trainer appends it to the losses it
 * reads back anyway, so the check costs no extra device synchronisation.
 * @internal
 */
export class WeightFiniteness {
  constructor(
    /** The weights, in the order of the flags. */
    readonly weights: readonly NamedWeight[],
  ) {}

  /**
   * One float per weight, `Σ w·0` over its values: 0 when every value is finite, NaN when any is NaN or ±Infinity
   * (∞·0 is NaN, and a sum with a NaN is NaN; a plain `Σ w` could overflow on large finite weights). `[weights]`; the
   * caller disposes it.
   */
  flags(): tf.Tensor1D {
    if (this.weights.length === 0) return tf.tensor1d([], 'float32');
    return tf.tidy(() => tf.stack(this.weights.map((w) => tf.sum(tf.mul(w.variable, 0)))) as tf.Tensor1D);
  }

  /** Names of the weights whose flag (read back from {@link flags}) is not 0, in order. */
  nonFinite(flags: ArrayLike<number>): string[] {
    const names: string[] = [];
    for (let i = 0; i < this.weights.length; i++) if (flags[i] !== 0) names.push(this.weights[i]!.name);
    return names;
  }
}
