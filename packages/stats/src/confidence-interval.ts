import { criticalValue } from './distributions.js';

/** A two-sided confidence interval and the level it was computed at (0.95 unless asked otherwise). */
export interface ConfidenceInterval {
  /** Lower bound. */
  readonly lower: number;
  /** Upper bound. */
  readonly upper: number;
  /** Coverage the interval was built for, e.g. 0.95. */
  readonly level: number;
}

/**
 * `estimate ± q·se`, with q the normal (df = Infinity) or t quantile of the two-sided level. A zero SE gives
 * the point itself.
 */
export function symmetricInterval(estimate: number, se: number, level: number, df = Infinity): ConfidenceInterval {
  const half = se === 0 ? 0 : criticalValue(level, df) * se;
  return { lower: estimate - half, upper: estimate + half, level };
}
