import type { Labels, RowMask, Scores } from './inputs.js';
import { modelComponents } from './model-components.js';
import { sampleCovarianceAround } from './sample-moments.js';

/** Options of {@link delongCovariance}. */
export interface DelongCovarianceOptions {
  /** Rows of the task's own sample space (default: every row). */
  mask?: RowMask;
}

/** The AUCs of several models on the same rows and DeLong's estimate of their covariance matrix. */
export interface DelongCovarianceResult {
  /** Exact AUC of each model, in the order given. */
  readonly aucs: number[];
  /** K×K covariance matrix of the AUC estimates: S10/m + S01/n (DeLong et al. 1988, eq. 3). */
  readonly covariance: number[][];
  /** Positive rows (m). */
  readonly positives: number;
  /** Negative rows (n). */
  readonly negatives: number;
}

/**
 * The joint sampling covariance of K models' AUCs on one test set: what any smooth function of several AUCs
 * needs for a delta-method interval (the share of the gap closed uses three), and what pROC's
 * `cov(roc1, roc2, method = "delong")` returns for a pair. Throws {@link StatsInputError} (`insufficient`) with
 * fewer than two positives or negatives.
 */
export function delongCovariance(labels: Labels, scores: readonly Scores[], options: DelongCovarianceOptions = {}): DelongCovarianceResult {
  const where = 'delongCovariance';
  const { rows, models } = modelComponents(
    where,
    labels,
    scores,
    scores.map((_, k) => `scores[${k}]`),
    options.mask,
  );
  const m = rows.positives.length;
  const n = rows.negatives.length;
  const k = models.length;
  const covariance = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < k; i++) {
    for (let j = i; j < k; j++) {
      const a = models[i]!;
      const b = models[j]!;
      const c = sampleCovarianceAround(a.v10, a.auc, b.v10, b.auc) / m + sampleCovarianceAround(a.v01, a.auc, b.v01, b.auc) / n;
      covariance[i]![j] = c;
      covariance[j]![i] = c;
    }
  }
  return { aucs: models.map((c) => c.auc), covariance, positives: m, negatives: n };
}
