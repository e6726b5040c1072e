/**
 * The normal and Student t distributions, from stdlib (ports of Boost's and Cephes' algorithms, tested to
 * double precision): p-values and interval quantiles must not come from a hand-rolled erf approximation.
 */
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import tCdf from '@stdlib/stats-base-dists-t-cdf';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';

/**
 * The quantile that a two-sided interval at `level` reaches: 1.959963984540054 for 0.95 (normal), and
 * 4.302652729911275 for 0.95 with 2 degrees of freedom (t). `df = Infinity` is the normal distribution.
 */
export function criticalValue(level: number, df = Infinity): number {
  const p = 0.5 + level / 2;
  return df === Infinity ? normalQuantile(p, 0, 1) : tQuantile(p, df);
}

/**
 * Two-sided p-value of a z (df = Infinity) or t statistic. Computed from the lower tail at −|x| so that tiny
 * p-values keep their precision (1 − cdf(|x|) would round to 0 from |x| ≈ 8.3).
 */
export function twoSidedP(statistic: number, df = Infinity): number {
  if (Number.isNaN(statistic)) return NaN;
  const x = -Math.abs(statistic);
  const tail = df === Infinity ? normalCdf(x, 0, 1) : tCdf(x, df);
  return Math.min(1, 2 * tail);
}

/** The standard normal quantile, for power calculations (z of 1 − α/2 and of the power). */
export function standardNormalQuantile(p: number): number {
  return normalQuantile(p, 0, 1);
}
