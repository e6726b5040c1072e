import { checkLevel } from './inputs.js';
import type { ConfidenceInterval } from './confidence-interval.js';
import { StatsInputError } from './stats-input-error.js';

/**
 * The bootstrap percentile interval (Efron & Tibshirani 1993, §13.3): the (1 − level)/2 and (1 + level)/2
 * sample quantiles of the replicates, interpolated linearly between order statistics (R's default `type = 7`,
 * numpy's default), so that it matches the usual tools on the same replicates. ±Infinity is allowed (it sorts);
 * NaN is not.
 */
export function percentileInterval(replicates: ArrayLike<number>, level = 0.95): ConfidenceInterval {
  const where = 'percentileInterval';
  checkLevel(where, level);
  const k = replicates.length;
  if (k === 0) throw new StatsInputError(`${where}: no replicates`, 'replicates', 'insufficient');
  const sorted = Float64Array.from(replicates);
  for (let i = 0; i < k; i++) if (Number.isNaN(sorted[i]!)) throw new StatsInputError(`${where}: replicates[${i}] is NaN`, 'replicates');
  sorted.sort();
  const quantile = (p: number) => {
    const h = (k - 1) * p;
    const lo = Math.floor(h);
    const hi = Math.min(lo + 1, k - 1);
    const a = sorted[lo]!;
    const b = sorted[hi]!;
    const fraction = h - lo;
    if (a === b || fraction === 0) return a;
    // Between an infinite and any other value the interpolation is that infinity (a + f·(b − a) would be NaN).
    if (a === -Infinity) return a;
    if (b === Infinity) return b;
    return a + fraction * (b - a);
  };
  return { lower: quantile((1 - level) / 2), upper: quantile((1 + level) / 2), level };
}
