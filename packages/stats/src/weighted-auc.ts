import { ascendingOrder } from './ascending-order.js';

/**
 * A model's positive and negative scores replaced by the rank of their value among the model's distinct
 * values (ties share a rank): computed once, it lets every bootstrap replicate recount the AUC in one linear
 * pass with no sorting.
 */
export interface RankedScores {
  /** Rank of each positive's score, in row order. */
  readonly positiveGroup: Uint32Array;
  /** Rank of each negative's score, in row order. */
  readonly negativeGroup: Uint32Array;
  /** Number of distinct scores. */
  readonly groups: number;
}

/** Ranks the distinct scores of one model (O(n log n), once). */
export function rankScores(positives: Float64Array, negatives: Float64Array): RankedScores {
  const m = positives.length;
  const total = m + negatives.length;
  const pooled = new Float64Array(total);
  pooled.set(positives);
  pooled.set(negatives, m);
  const order = ascendingOrder(pooled);
  const positiveGroup = new Uint32Array(m);
  const negativeGroup = new Uint32Array(negatives.length);
  let group = -1;
  let previous = NaN;
  for (let k = 0; k < total; k++) {
    const row = order[k]!;
    const value = pooled[row]!;
    if (k === 0 || value !== previous) group++;
    previous = value;
    if (row < m) positiveGroup[row] = group;
    else negativeGroup[row - m] = group;
  }
  return { positiveGroup, negativeGroup, groups: group + 1 };
}

/**
 * Twice the weighted Mann–Whitney count Σᵢ Σⱼ wᵢ wⱼ (2·[sᵢ > sⱼ] + [sᵢ = sⱼ]) over positives i and negatives j:
 * with bootstrap draw counts as weights, the replicate's AUC is this over 2·(Σ wᵢ)(Σ wⱼ). One pass over the
 * negatives to total the weight per score, one over the distinct scores to turn it into "weight below, twice,
 * plus weight tied", one over the positives. `scratch` must hold at least `ranked.groups` entries.
 */
export function weightedTwiceU(
  ranked: RankedScores,
  positiveWeights: ArrayLike<number>,
  negativeWeights: ArrayLike<number>,
  scratch: Float64Array,
): number {
  const g = ranked.groups;
  scratch.fill(0, 0, g);
  const ng = ranked.negativeGroup;
  for (let j = 0; j < ng.length; j++) scratch[ng[j]!]! += negativeWeights[j]!;
  let below = 0;
  for (let k = 0; k < g; k++) {
    const w = scratch[k]!;
    scratch[k] = 2 * below + w;
    below += w;
  }
  const pg = ranked.positiveGroup;
  let sum = 0;
  for (let i = 0; i < pg.length; i++) sum += positiveWeights[i]! * scratch[pg[i]!]!;
  return sum;
}
