import { checkLevel, type Labels, type RowMask, type Scores } from './inputs.js';
import { type ConfidenceInterval } from './confidence-interval.js';
import { modelComponents } from './model-components.js';
import { compareComponents, type DelongTestResult } from './delong-test.js';
import { sampleVarianceAround } from './sample-moments.js';
import { seedAndTestVariance } from './seed-and-test-variance.js';
import { StatsInputError } from './stats-input-error.js';

/** Options of {@link delongTestAcrossSeeds}. */
export interface DelongTestAcrossSeedsOptions {
  /** Rows of the task's own sample space (default: every row). */
  mask?: RowMask;
  /** Confidence level (default 0.95). */
  level?: number;
}

/** Two models compared over several seeds on one test set, with both sources of variance. */
export interface DelongTestAcrossSeedsResult {
  /** Mean AUC of model A over its seeds. */
  readonly aucA: number;
  /** Mean AUC of model B over its seeds. */
  readonly aucB: number;
  /** aucA − aucB: the mean of the per-seed differences. */
  readonly deltaAuc: number;
  /** Standard error of deltaAuc: √(seTestSet² + seBetweenSeeds²). */
  readonly se: number;
  /** The test set's sampling part: DeLong's SE of the difference of the seed-averaged components. */
  readonly seTestSet: number;
  /** The training part: s / √k, with s the SD of the per-seed differences (0 with one seed). */
  readonly seBetweenSeeds: number;
  /** Confidence interval of deltaAuc (t with `df`, normal when `df` is Infinity). */
  readonly ci: ConfidenceInterval;
  /** deltaAuc / se. */
  readonly statistic: number;
  /** Two-sided p-value of H0: equal mean AUCs. */
  readonly p: number;
  /** Welch–Satterthwaite degrees of freedom of the combined variance (Infinity when seBetweenSeeds is 0). */
  readonly df: number;
  /** Seeds compared (k). */
  readonly seeds: number;
  /** Each seed's own DeLong test, in the order given. */
  readonly perSeed: DelongTestResult[];
  /** Positive rows (m). */
  readonly positives: number;
  /** Negative rows (n). */
  readonly negatives: number;
  /** One sentence for a report saying what the interval accounts for. */
  readonly method: string;
}

/**
 * Compares two models trained with k seeds each (seed i of A paired with seed i of B) and scored on one test
 * set, with an interval that carries both kinds of uncertainty, by the law of total variance:
 * Var(mean Δ) = E[Var(mean Δ | test set)] + Var(E[mean Δ | test set]).
 *
 * - The first term, training noise, is estimated by s²/k from the spread of the k per-seed differences.
 * - The second, test-set sampling noise, is DeLong's variance of the seed-averaged difference: the DeLong
 *   components of the k seeds are averaged row by row (the mean of k AUCs is the AUC-like mean of the averaged
 *   components), and their sample variances give the variance over test sets of the mean difference, with the
 *   correlation between seeds that share the test set included exactly (averaging the k per-seed variances as
 *   if independent would understate it).
 *
 * The interval is a t-interval with Welch–Satterthwaite df = (a + b)² (k − 1) / a², a = s²/k, b = the DeLong
 * part (estimated from thousands of rows, so taken as exact). It is slightly conservative: s² also contains the
 * seed-by-test-row interaction that the DeLong part counts. With k = 1 it is exactly {@link delongTest}.
 */
export function delongTestAcrossSeeds(
  labels: Labels,
  scoresA: readonly Scores[],
  scoresB: readonly Scores[],
  options: DelongTestAcrossSeedsOptions = {},
): DelongTestAcrossSeedsResult {
  const where = 'delongTestAcrossSeeds';
  const level = checkLevel(where, options.level ?? 0.95);
  const k = scoresA.length;
  if (k === 0) throw new StatsInputError(`${where}: scoresA is empty; give one score array per seed`, 'scoresA', 'insufficient');
  if (scoresB.length !== k) {
    throw new StatsInputError(`${where}: ${k} seeds of model A but ${scoresB.length} of model B; seeds are paired`, 'scoresB');
  }
  const names = [...scoresA.map((_, i) => `scoresA[${i}]`), ...scoresB.map((_, i) => `scoresB[${i}]`)];
  const { rows, models } = modelComponents(where, labels, [...scoresA, ...scoresB], names, options.mask);
  const m = rows.positives.length;
  const n = rows.negatives.length;
  const perSeed = Array.from({ length: k }, (_, i) => compareComponents(models[i]!, models[k + i]!, m, n, level));

  // Seed-averaged component differences; their mean is the mean difference, exact from the integer counts.
  const d10 = new Float64Array(m);
  const d01 = new Float64Array(n);
  let twiceUDifference = 0;
  for (let i = 0; i < k; i++) {
    const a = models[i]!;
    const b = models[k + i]!;
    twiceUDifference += a.twiceU - b.twiceU;
    for (let r = 0; r < m; r++) d10[r] += (a.v10[r]! - b.v10[r]!) / k;
    for (let r = 0; r < n; r++) d01[r] += (a.v01[r]! - b.v01[r]!) / k;
  }
  const deltaAuc = twiceUDifference / (2 * m * n * k);
  const testVariance = sampleVarianceAround(d10, deltaAuc) / m + sampleVarianceAround(d01, deltaAuc) / n;
  const seedDeltas = Float64Array.from(perSeed, (r) => r.deltaAuc);
  const { se, seTestSet, seBetweenSeeds, df, ci, statistic, p } = seedAndTestVariance(deltaAuc, testVariance, seedDeltas, level);
  const mean = (from: number) => models.slice(from, from + k).reduce((s, c) => s + c.auc, 0) / k;
  const method =
    k === 1
      ? 'DeLong test of the single seed: test-set variance only; seed-to-seed variance not measured'
      : `${k} seeds on one test set: DeLong variance of the seed-averaged components (test-set sampling) plus between-seed variance s²/k (training); t-interval, Welch–Satterthwaite df = ${df === Infinity ? '∞' : df.toFixed(1)}`;
  return {
    aucA: mean(0),
    aucB: mean(k),
    deltaAuc,
    se,
    seTestSet,
    seBetweenSeeds,
    ci,
    statistic,
    p,
    df,
    seeds: k,
    perSeed,
    positives: m,
    negatives: n,
    method,
  };
}
