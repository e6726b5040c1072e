import { checkLevel, type Labels, type RowMask, type Scores } from './inputs.js';
import { twoSidedP } from './distributions.js';
import { symmetricInterval, type ConfidenceInterval } from './confidence-interval.js';
import { modelComponents } from './model-components.js';
import type { AucComponents } from './auc-components.js';
import { difference, sampleCovarianceAround, sampleVarianceAround } from './sample-moments.js';

/** Options of {@link delongTest}. */
export interface DelongTestOptions {
  /** Rows of the task's own sample space (default: every row). Both models are compared on the same rows. */
  mask?: RowMask;
  /** Confidence level of the interval of the difference (default 0.95). */
  level?: number;
}

/** DeLong's paired test of two models' AUCs on the same rows. */
export interface DelongTestResult {
  /** Exact AUC of model A. */
  readonly aucA: number;
  /** Exact AUC of model B. */
  readonly aucB: number;
  /** aucA − aucB, computed from the integer Mann–Whitney counts (so identical scores give exactly 0). */
  readonly deltaAuc: number;
  /** Standard error of the difference: √(Var A + Var B − 2 Cov(A, B)) from DeLong's components. */
  readonly se: number;
  /** Normal confidence interval of the difference at `options.level`. */
  readonly ci: ConfidenceInterval;
  /** deltaAuc / se; 0 when both are 0, ±Infinity when only the SE is 0. */
  readonly z: number;
  /** Two-sided p-value of H0: equal AUCs; 1 when z is 0, 0 when z is infinite. */
  readonly p: number;
  /**
   * Correlation of the two AUC estimates, Cov(A, B) / (SE_A SE_B): the r of the power formulas
   * (NaN when either SE is 0). Two models trained on the same data typically show 0.5–0.9.
   */
  readonly correlation: number;
  /** Positive rows compared (m). */
  readonly positives: number;
  /** Negative rows compared (n). */
  readonly negatives: number;
}

/**
 * DeLong's test (DeLong, DeLong & Clarke-Pearson 1988, Biometrics 44:837–845) for two correlated AUCs: the
 * two models scored the same rows, so their AUC errors are correlated and an unpaired comparison of two
 * intervals would be far too conservative. The variance of the difference is the sample variance of the
 * per-positive differences V10_A − V10_B over m plus that of the per-negative differences V01_A − V01_B over n;
 * the components come from Sun & Xu's (2014) O(n log n) algorithm, so a million rows take well under a second.
 * Agrees with pROC's `roc.test(method = "delong", paired = TRUE)` to 1e-12 (see the tests).
 *
 * Degenerate inputs: fewer than two positives or negatives throws {@link StatsInputError} (`insufficient`);
 * constant or identical scores are not an error: the SE is then 0, and z and p follow the conventions above.
 */
export function delongTest(labels: Labels, scoresA: Scores, scoresB: Scores, options: DelongTestOptions = {}): DelongTestResult {
  const where = 'delongTest';
  const level = checkLevel(where, options.level ?? 0.95);
  const { rows, models } = modelComponents(where, labels, [scoresA, scoresB], ['scoresA', 'scoresB'], options.mask);
  return compareComponents(models[0]!, models[1]!, rows.positives.length, rows.negatives.length, level);
}

/**
 * DeLong's paired comparison from two models' components on the same m positive and n negative rows (shared
 * with {@link delongTestAcrossSeeds}, which compares every seed the same way).
 */
export function compareComponents(a: AucComponents, b: AucComponents, m: number, n: number, level: number): DelongTestResult {
  const deltaAuc = (a.twiceU - b.twiceU) / (2 * m * n);
  // The variance of the difference straight from the per-row differences: exactly 0 for identical scores,
  // and exactly the same when A and B are swapped (Var A + Var B − 2 Cov would leave rounding residue).
  const variance =
    sampleVarianceAround(difference(a.v10, b.v10), deltaAuc) / m + sampleVarianceAround(difference(a.v01, b.v01), deltaAuc) / n;
  const se = Math.sqrt(variance);
  const z = se > 0 ? deltaAuc / se : deltaAuc === 0 ? 0 : Math.sign(deltaAuc) * Infinity;
  const varA = sampleVarianceAround(a.v10, a.auc) / m + sampleVarianceAround(a.v01, a.auc) / n;
  const varB = sampleVarianceAround(b.v10, b.auc) / m + sampleVarianceAround(b.v01, b.auc) / n;
  const cov = sampleCovarianceAround(a.v10, a.auc, b.v10, b.auc) / m + sampleCovarianceAround(a.v01, a.auc, b.v01, b.auc) / n;
  return {
    aucA: a.auc,
    aucB: b.auc,
    deltaAuc,
    se,
    ci: symmetricInterval(deltaAuc, se, level),
    z,
    p: twoSidedP(z),
    correlation: varA > 0 && varB > 0 ? cov / Math.sqrt(varA * varB) : NaN,
    positives: m,
    negatives: n,
  };
}
