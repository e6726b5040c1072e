import * as tf from '@tensorflow/tfjs-core';
import { binaryCrossEntropy, column, EPSILON, registerLossKind, stopGradient } from '@ektm/core';
import { ConfigError } from '@ektm/core';

/** Loss kind of ESCM2's inverse-propensity-weighted CVR loss. */
export const ESCM2_IPW_KIND = 'escm2-ipw';
/** Loss kind of ESCM2's doubly robust CVR loss. */
export const ESCM2_DR_KIND = 'escm2-dr';
/** Loss kind of the imputation model of ESCM2's doubly robust estimator. */
export const ESCM2_IMPUTATION_KIND = 'escm2-imputation';

/** Default floor of the propensity (pCTR) before it is inverted: at most a 20× weight. */
export const ESCM2_DEFAULT_MIN_PROPENSITY = 0.05;

/** Cross-entropy of predictions `p` against soft targets `q` (both `[batch]`): the same formula as with 0/1 labels. */
const softCrossEntropy = (p: tf.Tensor1D, q: tf.Tensor1D): tf.Tensor1D => binaryCrossEntropy(p, q);

/** `1 / max(stopGradient(pCTR), minPropensity)`: the propensity is an estimate, never trained by this loss. */
function inversePropensity(click: tf.Tensor, minPropensity: number): tf.Tensor1D {
  return tf.div(1, tf.maximum(stopGradient(column(click)), Math.max(minPropensity, EPSILON))) as tf.Tensor1D;
}

/**
 * ESCM2-IPW (Wang et al., "ESCM²: Entire Space Counterfactual Multi-Task Model for Post-Click Conversion Rate
 * Estimation", SIGIR 2022): the CVR loss over the entire impression space D, each clicked row (o_i = 1) weighted
 * by its inverse propensity, an unbiased estimate of the loss as if every impression had been clicked:
 *
 *     R_IPW = (1 / |D|) Σ_{i ∈ D} o_i · e(r_i, r̂_i) / max(p̂_i, minPropensity)
 *
 * e = binary cross-entropy, r = conversion label, r̂ = pCVR, p̂ = pCTR (stop-gradient). `|D|` is the batch size.
 */
export function escm2IpwLoss(cvr: tf.Tensor, click: tf.Tensor, label: tf.Tensor1D, clicked: tf.Tensor1D, minPropensity: number): tf.Scalar {
  return tf.tidy(() => {
    const error = binaryCrossEntropy(column(cvr), label);
    return tf.div(tf.sum(tf.mul(tf.mul(error, clicked), inversePropensity(click, minPropensity))), label.shape[0]) as tf.Scalar;
  });
}

/**
 * ESCM2-DR's CVR loss: the doubly robust estimator with an imputation model r̃ (a probability head; the imputed
 * error is ê_i = e(r̃_i, r̂_i), the cross-entropy of the prediction against the imputed label, as in Wang et al.'s
 * doubly robust joint learning, ICML 2019):
 *
 *     R_DR = (1 / |D|) Σ_{i ∈ D} [ ê_i + o_i · (e_i − ê_i) / max(p̂_i, minPropensity) ]
 *
 * Trains the CVR head; r̃ and p̂ are stop-gradient here.
 */
export function escm2DrLoss(
  cvr: tf.Tensor,
  click: tf.Tensor,
  imputation: tf.Tensor,
  label: tf.Tensor1D,
  clicked: tf.Tensor1D,
  minPropensity: number,
): tf.Scalar {
  return tf.tidy(() => {
    const prediction = column(cvr);
    const error = binaryCrossEntropy(prediction, label);
    const imputed = softCrossEntropy(prediction, stopGradient(column(imputation)));
    const correction = tf.mul(tf.mul(tf.sub(error, imputed), clicked), inversePropensity(click, minPropensity));
    return tf.div(tf.sum(tf.add(imputed, correction)), label.shape[0]) as tf.Scalar;
  });
}

/**
 * The imputation model's loss of ESCM2-DR: on clicked rows, the imputed error should match the real one,
 * weighted by the inverse propensity:
 *
 *     L_IMP = (1 / |D|) Σ_{i ∈ D} o_i · (e_i − ê_i)² / max(p̂_i, minPropensity)
 *
 * Trains the imputation head only (r̂ and p̂ are stop-gradient here).
 */
export function escm2ImputationLoss(
  cvr: tf.Tensor,
  click: tf.Tensor,
  imputation: tf.Tensor,
  label: tf.Tensor1D,
  clicked: tf.Tensor1D,
  minPropensity: number,
): tf.Scalar {
  return tf.tidy(() => {
    const prediction = stopGradient(column(cvr));
    const error = binaryCrossEntropy(prediction, label);
    const imputed = softCrossEntropy(prediction, column(imputation));
    const squared = tf.mul(tf.square(tf.sub(error, imputed)), clicked);
    return tf.div(tf.sum(tf.mul(squared, inversePropensity(click, minPropensity))), label.shape[0]) as tf.Scalar;
  });
}

function minPropensityOption(options: Record<string, number | string | boolean>): number {
  const value = options.minPropensity ?? ESCM2_DEFAULT_MIN_PROPENSITY;
  if (typeof value !== 'number' || !(value > 0 && value <= 1))
    throw new ConfigError(`escm2 loss option minPropensity: ${value} must be in (0, 1]`);
  return value;
}

// Outputs: [prob:<cvr>, prob:<click>] (IPW), [prob:<cvr>, prob:<click>, prob:<cvr>/imputation] (DR); the term's task
// is the CVR task, whose mask is o_i (clicked and labelled).
registerLossKind(ESCM2_IPW_KIND, ({ outputs, label, mask, options }) =>
  escm2IpwLoss(outputs[0]!, outputs[1]!, label, mask, minPropensityOption(options)),
);
registerLossKind(ESCM2_DR_KIND, ({ outputs, label, mask, options }) =>
  escm2DrLoss(outputs[0]!, outputs[1]!, outputs[2]!, label, mask, minPropensityOption(options)),
);
registerLossKind(ESCM2_IMPUTATION_KIND, ({ outputs, label, mask, options }) =>
  escm2ImputationLoss(outputs[0]!, outputs[1]!, outputs[2]!, label, mask, minPropensityOption(options)),
);
