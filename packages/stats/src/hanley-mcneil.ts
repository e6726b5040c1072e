import { StatsInputError } from './stats-input-error.js';

/**
 * Hanley & McNeil's (1982, Radiology 143:29–36, eq. 2) standard error of an AUC from its value and the class
 * counts alone, before any model is scored:
 *
 *   SE² = [A(1 − A) + (m − 1)(Q1 − A²) + (n − 1)(Q2 − A²)] / (m n),  Q1 = A / (2 − A),  Q2 = 2A² / (1 + A),
 *
 * with m positives and n negatives. Q1 and Q2 are exact when both classes' scores are exponentially distributed
 * and close for the binormal scores of most models, which makes this the standard planning formula: how wide an
 * AUC's interval will be on a test set of a given size. After scoring, prefer DeLong's SE ({@link delongAuc}),
 * which makes no distributional assumption.
 */
export function hanleyMcNeilSe(auc: number, positives: number, negatives: number): number {
  const where = 'hanleyMcNeilSe';
  if (!(auc >= 0 && auc <= 1)) throw new StatsInputError(`${where}: auc is ${auc}; it must be in [0, 1]`, 'auc');
  if (!(positives >= 1) || !Number.isFinite(positives)) {
    throw new StatsInputError(`${where}: positives is ${positives}; it must be ≥ 1`, 'positives');
  }
  if (!(negatives >= 1) || !Number.isFinite(negatives)) {
    throw new StatsInputError(`${where}: negatives is ${negatives}; it must be ≥ 1`, 'negatives');
  }
  const a2 = auc * auc;
  const q1 = auc / (2 - auc);
  const q2 = (2 * a2) / (1 + auc);
  const variance = (auc * (1 - auc) + (positives - 1) * (q1 - a2) + (negatives - 1) * (q2 - a2)) / (positives * negatives);
  return Math.sqrt(Math.max(0, variance));
}
