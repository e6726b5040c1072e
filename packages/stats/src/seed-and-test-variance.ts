import { twoSidedP } from './distributions.js';
import { symmetricInterval, type ConfidenceInterval } from './confidence-interval.js';
import { sampleVarianceAround } from './sample-moments.js';

/** A seed-averaged difference's two variances combined into one standard error, interval and test. */
export interface SeedAndTestVariance {
  /** √(seTestSet² + seBetweenSeeds²). */
  readonly se: number;
  /** √ of the test-set sampling variance given. */
  readonly seTestSet: number;
  /** s / √k over the k per-seed differences (0 with one seed). */
  readonly seBetweenSeeds: number;
  /** Welch–Satterthwaite degrees of freedom (Infinity when seBetweenSeeds is 0). */
  readonly df: number;
  /** Confidence interval of the difference (t with `df`; normal when `df` is Infinity). */
  readonly ci: ConfidenceInterval;
  /** difference / se (±Infinity when se is 0 and the difference is not). */
  readonly statistic: number;
  /** Two-sided p-value of H0: difference 0. */
  readonly p: number;
}

/**
 * The seed-combination step shared by {@link delongTestAcrossSeeds} and {@link delongTestOfTaskMean}: adds the
 * between-seed variance s²/k of the per-seed differences (training noise) to the DeLong test-set variance of the
 * seed-averaged difference (sampling noise), and tests the mean difference with a t-interval whose
 * Welch–Satterthwaite df = (a + b)² (k − 1) / a², a = s²/k, the DeLong part b taken as exact. Kept in one place so
 * both tests combine seeds by the same rule.
 *
 * @param delta - The mean of the per-seed differences (computed exactly by the caller).
 * @param testVariance - DeLong's variance of that mean over test sets.
 * @param seedDeltas - The k per-seed differences, in seed order.
 * @param level - Confidence level of the interval.
 */
export function seedAndTestVariance(delta: number, testVariance: number, seedDeltas: Float64Array, level: number): SeedAndTestVariance {
  const k = seedDeltas.length;
  const betweenVariance = k > 1 ? sampleVarianceAround(seedDeltas, delta) / k : 0;
  const variance = testVariance + betweenVariance;
  const se = Math.sqrt(variance);
  const df = betweenVariance > 0 ? ((variance * variance) / (betweenVariance * betweenVariance)) * (k - 1) : Infinity;
  const statistic = se > 0 ? delta / se : delta === 0 ? 0 : Math.sign(delta) * Infinity;
  return {
    se,
    seTestSet: Math.sqrt(testVariance),
    seBetweenSeeds: Math.sqrt(betweenVariance),
    df,
    ci: symmetricInterval(delta, se, level, df),
    statistic,
    p: twoSidedP(statistic, df),
  };
}
