import { ascendingOrder } from './ascending-order.js';

/**
 * A model's scores reduced to what a weighted AUC needs: the rows in ascending score order and where each tie
 * group ends. Computed once, it lets every bootstrap replicate recount the AUC in one sequential pass with no
 * sorting.
 */
export interface RankedScores {
  /** Number of positive rows (m); pooled rows 0..m−1 are the positives, m..m+n−1 the negatives. */
  readonly positives: number;
  /** Pooled row indices in ascending order of score. */
  readonly order: Uint32Array;
  /** 1 where `order[k]` is the last row of its tie group. */
  readonly groupEnd: Uint8Array;
}

/** Sorts one model's pooled scores once (O(N log N)) and marks the tie groups. */
export function rankScores(positives: Float64Array, negatives: Float64Array): RankedScores {
  const m = positives.length;
  const total = m + negatives.length;
  const pooled = new Float64Array(total);
  pooled.set(positives);
  pooled.set(negatives, m);
  const order = ascendingOrder(pooled);
  const groupEnd = new Uint8Array(total);
  for (let k = 0; k < total; k++) groupEnd[k] = k === total - 1 || pooled[order[k]!] !== pooled[order[k + 1]!] ? 1 : 0;
  return { positives: m, order, groupEnd };
}

/**
 * Twice the weighted Mann–Whitney count Σᵢ Σⱼ wᵢ wⱼ (2·[sᵢ > sⱼ] + [sᵢ = sⱼ]) over positives i and negatives j,
 * `weights` being pooled like the rows (positives first): with bootstrap draw counts as weights, the replicate's
 * AUC is this over 2·(Σ wᵢ)(Σ wⱼ). One pass in score order: per tie group, the positive weight times (twice the
 * negative weight below plus the negative weight tied).
 */
export function weightedTwiceU(ranked: RankedScores, weights: ArrayLike<number>): number {
  const { order, groupEnd, positives: m } = ranked;
  let twiceU = 0;
  let below = 0;
  let positiveWeight = 0;
  let negativeWeight = 0;
  for (let k = 0; k < order.length; k++) {
    const row = order[k]!;
    if (row < m) positiveWeight += weights[row]!;
    else negativeWeight += weights[row]!;
    if (groupEnd[k]) {
      twiceU += positiveWeight * (2 * below + negativeWeight);
      below += negativeWeight;
      positiveWeight = 0;
      negativeWeight = 0;
    }
  }
  return twiceU;
}
