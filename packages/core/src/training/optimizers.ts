import * as tf from '@tensorflow/tfjs-core';
import { createFusedAdam } from '@ektm/engine';
import type { OptimizerName } from './train-options.js';

/**
 * A tfjs optimizer by name. `adamw` is plain Adam here: its decoupled weight decay is applied by
 * `applyWeightDecay` after each step, for any optimizer, so that decay never passes through Adam's moments.
 * Adam is the fused one-pass update (equal to tfjs' Adam to float32 rounding, faster on wasm and cpu).
 */
export function createOptimizer(name: OptimizerName, learningRate: number): tf.Optimizer {
  switch (name) {
    case 'adam':
    case 'adamw':
      return createFusedAdam(learningRate);
    case 'sgd':
      return tf.train.sgd(learningRate);
    case 'adagrad':
      return tf.train.adagrad(learningRate);
    case 'rmsprop':
      return tf.train.rmsprop(learningRate);
  }
}

/**
 * Decoupled weight decay: `w ← w − learningRate·decay·w` for every variable given (the trainer passes kernels and
 * embedding tables, not biases or normalisation parameters).
 */
export function applyWeightDecay(variables: readonly tf.Variable[], learningRate: number, decay: number): void {
  if (decay === 0) return;
  const factor = 1 - learningRate * decay;
  tf.tidy(() => {
    for (const v of variables) v.assign(tf.mul(v, factor));
  });
}

/** Whether weight decay applies to a variable: kernels and embedding tables (rank ≥ 2), not biases or scales. */
export function decays(variable: tf.Variable): boolean {
  return variable.rank >= 2;
}
