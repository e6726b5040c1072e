import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import { classRows, gatherScores, requireClassCounts, type Labels, type RowMask, type Scores } from './inputs.js';
import { StatsInputError } from './stats-input-error.js';
import { rankScores, weightedTwiceU } from './weighted-auc.js';

/** Options of {@link bootstrapAucs}. */
export interface BootstrapOptions {
  /** Rows of the task's own sample space (default: every row). */
  mask?: RowMask;
  /** Bootstrap replicates (default 1000). pROC's default is 2000; percentile intervals at 95% settle by 1000. */
  resamples?: number;
  /** Seed of the xoroshiro128+ generator (default 0): the same seed gives the same replicates, on any machine. */
  seed?: number;
}

/** AUCs of several models on bootstrap replicates of one test set. */
export interface BootstrapAucs {
  /** Each model's AUC on the full selected rows, in the order given. */
  readonly aucs: number[];
  /** `replicates[k][b]`: model k's AUC on replicate b. */
  readonly replicates: Float64Array[];
  /** Replicates drawn. */
  readonly resamples: number;
  /** The generator's seed. */
  readonly seed: number;
  /** Positive rows (m); every replicate draws m positives. */
  readonly positives: number;
  /** Negative rows (n); every replicate draws n negatives. */
  readonly negatives: number;
}

/**
 * Draws `counts.length` indices uniformly with replacement and counts how often each was drawn. Exactly
 * uniform: Lemire's multiply-shift with rejection (ACM TOMACS 29(1), 2019) while x · size stays below 2^53
 * (size ≤ 2^21), else rejection and modulo; both from 32 random bits a draw. Lemire's form avoids a float
 * modulo per draw, which was most of a replicate's time.
 */
function drawCounts(rng: RandomGenerator, counts: Int32Array): void {
  counts.fill(0);
  const size = counts.length;
  const twoTo32 = 4294967296;
  if (size <= 2097152) {
    const threshold = twoTo32 % size;
    for (let t = 0; t < size; t++) {
      for (;;) {
        const product = (rng.next() >>> 0) * size;
        const index = (product * 2.3283064365386963e-10) | 0; // < 2^21: truncation is the floor
        if (product - index * twoTo32 >= threshold) {
          counts[index]!++;
          break;
        }
      }
    }
  } else {
    const limit = twoTo32 - (twoTo32 % size);
    for (let t = 0; t < size; t++) {
      for (;;) {
        const x = rng.next() >>> 0;
        if (x < limit) {
          counts[x % size]!++;
          break;
        }
      }
    }
  }
}

/**
 * AUCs of several models on stratified, paired bootstrap replicates of one test set: each replicate draws the
 * m positives and the n negatives with replacement within their class (so every replicate has both classes, as
 * pROC's default `stratified = TRUE`), and the same rows for every model (so differences and ratios of AUCs
 * keep the models' correlation; Efron & Tibshirani 1993). Any statistic of several AUCs (a difference,
 * the share of the gap closed) gets a percentile interval from the replicates with {@link percentileInterval}.
 *
 * Fast: each model's scores are ranked once (O(n log n)); a replicate is then a vector of draw counts, and the
 * weighted Mann–Whitney count is one sequential pass over the rows in score order, with no sorting. The
 * generator is pure-rand's xoroshiro128+, seeded, and the draws exactly uniform, so results are reproducible.
 */
export function bootstrapAucs(labels: Labels, scores: readonly Scores[], options: BootstrapOptions = {}): BootstrapAucs {
  const where = 'bootstrapAucs';
  const resamples = options.resamples ?? 1000;
  const seed = options.seed ?? 0;
  if (!Number.isInteger(resamples) || resamples < 1) {
    throw new StatsInputError(`${where}: resamples is ${resamples}; it must be an integer ≥ 1`, 'options.resamples');
  }
  if (!Number.isInteger(seed)) throw new StatsInputError(`${where}: seed is ${seed}; it must be an integer`, 'options.seed');
  if (scores.length === 0) throw new StatsInputError(`${where}: no models given`, 'scores');
  const rows = classRows(where, labels, options.mask);
  requireClassCounts(where, rows, 1);
  const m = rows.positives.length;
  const n = rows.negatives.length;
  const models = scores.map((s, k) =>
    rankScores(
      gatherScores(where, `scores[${k}]`, s, labels.length, rows.positives),
      gatherScores(where, `scores[${k}]`, s, labels.length, rows.negatives),
    ),
  );
  // Draw counts, pooled like the rows: positives first, then negatives (each drawn within its class).
  const counts = new Int32Array(m + n);
  const positiveCounts = counts.subarray(0, m);
  const negativeCounts = counts.subarray(m);
  const pairs2 = 2 * m * n;
  counts.fill(1);
  const aucs = models.map((model) => weightedTwiceU(model, counts) / pairs2);
  const replicates = models.map(() => new Float64Array(resamples));
  const rng = xoroshiro128plus(seed);
  for (let b = 0; b < resamples; b++) {
    drawCounts(rng, positiveCounts);
    drawCounts(rng, negativeCounts);
    for (let k = 0; k < models.length; k++) replicates[k]![b] = weightedTwiceU(models[k]!, counts) / pairs2;
  }
  return { aucs, replicates, resamples, seed, positives: m, negatives: n };
}
