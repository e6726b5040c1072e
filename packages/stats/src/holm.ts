import { StatsInputError } from './stats-input-error.js';

/**
 * Holm–Bonferroni adjusted p-values (Holm 1979, Scand. J. Statistics 6:65–70) for a family of comparisons, in
 * the order given: sort ascending, multiply the i-th smallest (from 0) by (k − i), carry the running maximum so
 * the adjusted values keep the order, cap at 1. Rejecting every adjusted p < α controls the family-wise error
 * rate at α under any dependence between the tests (the same rows scored for every model make them dependent),
 * and it is uniformly more powerful than plain Bonferroni. Same values as R's `p.adjust(p, "holm")`.
 *
 * Offered, not forced: a table of many models × tasks should say which family it adjusted over.
 */
export function holmAdjust(pValues: readonly number[]): number[] {
  const k = pValues.length;
  pValues.forEach((p, i) => {
    if (!(p >= 0 && p <= 1)) throw new StatsInputError(`holmAdjust: pValues[${i}] is ${p}; a p-value must be in [0, 1]`, `pValues[${i}]`);
  });
  const order = pValues.map((_, i) => i).sort((a, b) => pValues[a]! - pValues[b]! || a - b);
  const adjusted = new Array<number>(k);
  let runningMax = 0;
  order.forEach((index, rank) => {
    runningMax = Math.max(runningMax, Math.min(1, (k - rank) * pValues[index]!));
    adjusted[index] = runningMax;
  });
  return adjusted;
}
