import { checkLevel, type Labels, type RowMask, type Scores } from './inputs.js';
import { criticalValue } from './distributions.js';
import { symmetricInterval, type ConfidenceInterval } from './confidence-interval.js';
import { modelComponents } from './model-components.js';
import { sampleVarianceAround } from './sample-moments.js';
import { StatsInputError } from './stats-input-error.js';

/** Options of {@link delongAuc}. */
export interface DelongAucOptions {
  /** Rows of the task's own sample space (default: every row). */
  mask?: RowMask;
  /** Confidence level of the interval (default 0.95). */
  level?: number;
  /**
   * Scale the normal interval is built on (default `'none'`). `'none'`: AUC ± z·SE, clipped to [0, 1], as
   * pROC's `ci.auc(method = "delong")`. `'logit'`: the interval of log(AUC / (1 − AUC)) with the delta-method SE
   * SE / (AUC (1 − AUC)), mapped back; it stays inside (0, 1) and is asymmetric, which matters for AUCs near 1
   * where the sampling distribution is skewed (see Pepe 2003 on AUC intervals).
   */
  transform?: 'none' | 'logit';
}

/** One model's AUC with DeLong's standard error and a confidence interval. */
export interface DelongAucResult {
  /** Exact AUC (ties count one half). */
  readonly auc: number;
  /** DeLong's standard error: √(S10/m + S01/n). 0 when the components do not vary (constant or perfectly separating scores). */
  readonly se: number;
  /** Confidence interval at `options.level`, on the scale of `transform`. */
  readonly ci: ConfidenceInterval;
  /** The scale the interval was built on. */
  readonly transform: 'none' | 'logit';
  /** Positive rows counted (m). */
  readonly positives: number;
  /** Negative rows counted (n). */
  readonly negatives: number;
}

/**
 * One model's AUC with its DeLong standard error and confidence interval (DeLong et al. 1988; components by
 * Sun & Xu 2014). A table row saying "0.8123 [0.801, 0.823]" tells a reader how much of a difference between
 * two models the test set can resolve at all. Throws {@link StatsInputError} (`insufficient`) with fewer than two
 * positives or negatives, where the variance is undefined.
 */
export function delongAuc(labels: Labels, scores: Scores, options: DelongAucOptions = {}): DelongAucResult {
  const where = 'delongAuc';
  const level = checkLevel(where, options.level ?? 0.95);
  const transform = options.transform ?? 'none';
  if (transform !== 'none' && transform !== 'logit') {
    throw new StatsInputError(`${where}: transform is ${String(transform)}; it must be 'none' or 'logit'`, 'options.transform');
  }
  const { rows, models } = modelComponents(where, labels, [scores], ['scores'], options.mask);
  const { auc, v10, v01 } = models[0]!;
  const m = rows.positives.length;
  const n = rows.negatives.length;
  const se = Math.sqrt(sampleVarianceAround(v10, auc) / m + sampleVarianceAround(v01, auc) / n);
  let ci: ConfidenceInterval;
  if (transform === 'logit' && se > 0) {
    // AUC is strictly inside (0, 1) whenever se > 0: a 0 or 1 AUC has constant components.
    const theta = Math.log(auc / (1 - auc));
    const half = (criticalValue(level) * se) / (auc * (1 - auc));
    const expit = (x: number) => 1 / (1 + Math.exp(-x));
    ci = { lower: expit(theta - half), upper: expit(theta + half), level };
  } else {
    const raw = symmetricInterval(auc, se, level);
    ci = { lower: Math.max(0, raw.lower), upper: Math.min(1, raw.upper), level };
  }
  return { auc, se, ci, transform, positives: m, negatives: n };
}
