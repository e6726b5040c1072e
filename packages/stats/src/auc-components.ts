import { ascendingOrder } from './ascending-order.js';

/**
 * Exact AUC and DeLong's structural components (placement values) of one model.
 *
 * DeLong, DeLong & Clarke-Pearson (1988) write the AUC as the mean of per-row components:
 * for positive i, V10(i) = P̂(score of a negative < score_i) + ½ P̂(tie), the share of negatives it outranks;
 * for negative j, V01(j) = P̂(score of a positive > score_j) + ½ P̂(tie), the share of positives that outrank it.
 * AUC = mean V10 = mean V01, and the sample variances of V10 over positives and of V01 over negatives give the
 * AUC's variance, and with a second model's components, the covariance of the two AUCs.
 *
 * Sun & Xu (2014, IEEE Signal Processing Letters 21(11):1389–1393) compute the components from midranks in
 * O(n log n) instead of the O(m·n) pair count: V10(i) = (T_Z(i) − T_X(i)) / n, with T_Z the midrank of positive i
 * among all rows and T_X its midrank among the positives; V01(j) = 1 − (T_Z(j) − T_Y(j)) / m likewise. The
 * difference of the two midranks is the number of negatives below score_i plus half those tied with it, so one
 * ascending pass over the pooled rows (sorted once by {@link ascendingOrder}), tie group by tie group, counting
 * the positives and negatives seen so far, gives every component without forming the midranks. Components are
 * written back in row order, so that two models' components line up row by row. The AUC itself is summed in
 * integers (twice the Mann–Whitney U, exact in float64 up to 2^53) so that it is exact, not a float sum.
 */

/** One model's AUC and its DeLong components on the selected rows. */
export interface AucComponents {
  /** Exact AUC: P(score of a positive > score of a negative) + ½ P(tie). */
  readonly auc: number;
  /** 2·U, twice the Mann–Whitney statistic: an integer, so that two models' AUC difference is exact. */
  readonly twiceU: number;
  /** V10, one a positive row in row order: the share of negatives it outranks (ties count ½). */
  readonly v10: Float64Array;
  /** V01, one a negative row in row order: the share of positives that outrank it (ties count ½). */
  readonly v01: Float64Array;
}

/**
 * The AUC and DeLong components of one model from its positive and negative scores (each in row order, no NaN,
 * both non-empty). Used by every test in this package; exported for callers that combine models themselves.
 */
export function aucComponents(positiveScores: Float64Array, negativeScores: Float64Array): AucComponents {
  const m = positiveScores.length;
  const n = negativeScores.length;
  if (m === 0 || n === 0) throw new RangeError(`aucComponents: ${m} positive and ${n} negative scores; both classes are needed`);
  // Pooled rows: 0..m-1 are the positives, m..m+n-1 the negatives.
  const pooled = new Float64Array(m + n);
  pooled.set(positiveScores);
  pooled.set(negativeScores, m);
  const order = ascendingOrder(pooled);
  const v10 = new Float64Array(m);
  const v01 = new Float64Array(n);
  let twiceU = 0;
  let negativesBelow = 0;
  let positivesBelow = 0;
  const total = m + n;
  let g = 0;
  while (g < total) {
    // One tie group: order[g..end) share a score.
    const value = pooled[order[g]!]!;
    let end = g;
    let tiedPositives = 0;
    while (end < total && pooled[order[end]!] === value) {
      if (order[end]! < m) tiedPositives++;
      end++;
    }
    const tiedNegatives = end - g - tiedPositives;
    // Twice the negatives a positive here outranks (ties one half), and twice the positives above a negative here.
    const twiceBelow = 2 * negativesBelow + tiedNegatives;
    const twiceAbove = 2 * (m - positivesBelow - tiedPositives) + tiedPositives;
    const positiveComponent = twiceBelow / (2 * n);
    const negativeComponent = twiceAbove / (2 * m);
    for (let k = g; k < end; k++) {
      const row = order[k]!;
      if (row < m) v10[row] = positiveComponent;
      else v01[row - m] = negativeComponent;
    }
    twiceU += tiedPositives * twiceBelow;
    negativesBelow += tiedNegatives;
    positivesBelow += tiedPositives;
    g = end;
  }
  return { auc: twiceU / (2 * m * n), twiceU, v10, v01 };
}
