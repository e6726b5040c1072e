import * as tf from '@tensorflow/tfjs-core';
import { column, registerLossKind } from '@ektm/core';

/** Loss kind of AITM's behavioural expectation calibrator. */
export const AITM_CALIBRATOR_KIND = 'aitm-calibrator';

/**
 * AITM's behavioural expectation calibrator (Xi et al., KDD 2021, eq. 8): a later step of a conversion funnel
 * cannot be likelier than the step before it, so the model pays for every row where it predicts so:
 *
 *     L_lc = mean over all rows of max(p_k − p_{k−1}, 0)
 *
 * Outputs: `[prob:<t_{k−1}>, prob:<t_k>]`. Every row of the batch counts (the entire space; the constraint needs
 * no label). The paper's code and PaddleRec sum over the batch with weight 0.6; a mean keeps the weight
 * independent of the batch size (sum·0.6 = mean·0.6·batchSize).
 */
export function aitmCalibratorLoss(previous: tf.Tensor, current: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.relu(tf.sub(column(current), column(previous)))) as tf.Scalar);
}

registerLossKind(AITM_CALIBRATOR_KIND, ({ outputs }) => aitmCalibratorLoss(outputs[0]!, outputs[1]!));
