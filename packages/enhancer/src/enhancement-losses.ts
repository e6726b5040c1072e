import * as tf from '@tensorflow/tfjs-core';
import { binaryCrossEntropy, column, maskedMean, registerLossKind, stopGradient } from '@ektm/core';

/** Loss kind of the enhancement hinge; reads `[prob:<task>, prob:<task>/original]`. */
export const ENHANCEMENT_HINGE_KIND = 'ektm-enhancement-hinge';

/** Loss kind of the hard-example weighting; reads `[prob:<task>, prob:<task>/original]`; option `gamma`. */
export const HARD_EXAMPLE_KIND = 'ektm-hard-example';

/**
 * The enhancement hinge, `mean over the task's sample space of max(0, BCE(p) − stopgrad(BCE(p⁰)))`: zero on
 * a row where the enhanced prediction p is at least as good as the original prediction p⁰ (from the task's
 * own representation alone), and the excess loss where it is worse. The original side is a fixed reference
 * (no gradient), so the hinge only pushes the enhanced path, never drags the original head down to it.
 * This project's reconstruction of the paper's guarantee that transferred knowledge benefits the task.
 */
export function enhancementHinge(enhanced: tf.Tensor1D, original: tf.Tensor1D, label: tf.Tensor1D, mask: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const excess = tf.sub(binaryCrossEntropy(enhanced, label), stopGradient(binaryCrossEntropy(original, label)));
    return maskedMean(tf.relu(excess) as tf.Tensor1D, mask);
  });
}

/**
 * Hard-example weighting, `mean over the task's sample space of (1 − p⁰_true)^γ · BCE(p)`, where p⁰_true is
 * the original head's probability of the true label: the enhanced prediction is trained hardest where the
 * task's own representation fails (focal-style, after "suppress negative transfer with a hard-example-aware
 * loss" in the recovered summary of the paper). The weight is under stop-gradient.
 */
export function hardExampleLoss(
  enhanced: tf.Tensor1D,
  original: tf.Tensor1D,
  label: tf.Tensor1D,
  mask: tf.Tensor1D,
  gamma: number,
): tf.Scalar {
  return tf.tidy(() => {
    const trueProbability = tf.add(tf.mul(label, original), tf.mul(tf.sub(1, label), tf.sub(1, original)));
    const weight = stopGradient(tf.pow(tf.sub(1, trueProbability), gamma));
    return maskedMean(tf.mul(weight, binaryCrossEntropy(enhanced, label)) as tf.Tensor1D, mask);
  });
}

registerLossKind(ENHANCEMENT_HINGE_KIND, ({ outputs, label, mask }) =>
  enhancementHinge(column(outputs[0]!), column(outputs[1]!), label, mask),
);
registerLossKind(HARD_EXAMPLE_KIND, ({ outputs, label, mask, options }) =>
  hardExampleLoss(column(outputs[0]!), column(outputs[1]!), label, mask, Number(options.gamma ?? 2)),
);
