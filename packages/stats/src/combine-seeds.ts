import { checkLevel } from './inputs.js';
import { twoSidedP } from './distributions.js';
import { symmetricInterval, type ConfidenceInterval } from './confidence-interval.js';
import { StatsInputError } from './stats-input-error.js';

/** One seed's comparison: the AUC difference and its DeLong standard error (a {@link DelongTestResult}'s `deltaAuc` and `se`). */
export interface SeedDelta {
  /** AUC of model A minus AUC of model B, for this seed. */
  readonly delta: number;
  /** DeLong standard error of that difference. */
  readonly se: number;
}

/** Options of {@link combineSeeds}. */
export interface CombineSeedsOptions {
  /** Confidence level (default 0.95). */
  level?: number;
  /**
   * Fewest seeds for which the t-interval over per-seed deltas is used (default 3, the least allowed). Below it
   * the per-seed DeLong SEs are combined instead.
   */
  minSeedsForT?: number;
}

/** How {@link combineSeeds} combined the seeds. */
export type SeedCombinationRule = 't-over-seeds' | 'mean-of-delong';

/** Seeds combined into one comparison. */
export interface CombinedSeeds {
  /** Mean of the per-seed deltas. */
  readonly delta: number;
  /** Standard error of that mean, under {@link CombinedSeeds.rule}. */
  readonly se: number;
  /** Confidence interval of the mean delta (t with `df` degrees of freedom, or normal when `df` is Infinity). */
  readonly ci: ConfidenceInterval;
  /** delta / se: a t statistic (rule `t-over-seeds`) or a z statistic (rule `mean-of-delong`). */
  readonly statistic: number;
  /** Two-sided p-value of H0: mean delta 0. */
  readonly p: number;
  /** Degrees of freedom: seeds − 1 for the t-interval, Infinity for the normal one. */
  readonly df: number;
  /** Number of seeds combined. */
  readonly seeds: number;
  /** Which rule was used. */
  readonly rule: SeedCombinationRule;
  /** One sentence for a report saying what the interval accounts for and what it assumes. */
  readonly method: string;
}

/**
 * Combines per-seed comparisons of two models (each seed trained both models and compared them on the test
 * set) into one difference with a CI and a p-value.
 *
 * With at least 3 seeds: a t-interval over the per-seed deltas, df = seeds − 1. The seed-to-seed spread is the
 * variance a reader cares about ("would I see this again if I retrained?"), and it is measured, not assumed.
 * The per-seed SEs are not used: when every seed is scored on the same test set, the spread between seeds is
 * training noise, and the test set's own sampling noise is shared by all seeds and not in it (see
 * {@link delongTestAcrossSeeds} for an interval with both).
 *
 * With 1 or 2 seeds: the mean of the per-seed DeLong deltas with SE √(Σ se²) / k, which assumes the seeds'
 * DeLong errors are independent, and `method` says so. A t-interval is not used there: with 2 seeds it has
 * 1 degree of freedom (a 95% quantile of 12.7) and an SD estimated from two numbers, which says nothing; with 1
 * it does not exist. On a shared test set the seeds' errors are positively correlated, so this SE is a lower
 * bound (the upper bound, perfect correlation, is the mean SE).
 */
export function combineSeeds(perSeed: readonly SeedDelta[], options: CombineSeedsOptions = {}): CombinedSeeds {
  const where = 'combineSeeds';
  const level = checkLevel(where, options.level ?? 0.95);
  const minSeedsForT = options.minSeedsForT ?? 3;
  if (!Number.isInteger(minSeedsForT) || minSeedsForT < 3) {
    throw new StatsInputError(`${where}: minSeedsForT is ${minSeedsForT}; it must be an integer ≥ 3`, 'options.minSeedsForT');
  }
  const k = perSeed.length;
  if (k === 0) throw new StatsInputError(`${where}: no seeds given`, 'perSeed', 'insufficient');
  perSeed.forEach((s, i) => {
    if (!Number.isFinite(s.delta))
      throw new StatsInputError(`${where}: perSeed[${i}].delta is ${s.delta}; it must be finite`, `perSeed[${i}].delta`);
    if (!(s.se >= 0) || !Number.isFinite(s.se)) {
      throw new StatsInputError(`${where}: perSeed[${i}].se is ${s.se}; it must be finite and ≥ 0`, `perSeed[${i}].se`);
    }
  });
  const delta = perSeed.reduce((sum, s) => sum + s.delta, 0) / k;
  let se: number;
  let df: number;
  let rule: SeedCombinationRule;
  let method: string;
  if (k >= minSeedsForT) {
    const variance = perSeed.reduce((sum, s) => sum + (s.delta - delta) ** 2, 0) / (k - 1);
    se = Math.sqrt(variance / k);
    df = k - 1;
    rule = 't-over-seeds';
    method = `t-interval over ${k} per-seed deltas (df = ${df}): seed-to-seed variance; the test set's sampling variance, shared by all seeds, is not included`;
  } else {
    se = Math.sqrt(perSeed.reduce((sum, s) => sum + s.se * s.se, 0)) / k;
    df = Infinity;
    rule = 'mean-of-delong';
    method =
      k === 1
        ? 'DeLong test of the single seed: test-set variance only; seed-to-seed variance not measured'
        : `mean of ${k} per-seed DeLong deltas, SE of the mean assuming independent seeds (a lower bound on a shared test set); seed-to-seed variance not measured (fewer than ${minSeedsForT} seeds)`;
  }
  const statistic = se > 0 ? delta / se : delta === 0 ? 0 : Math.sign(delta) * Infinity;
  return { delta, se, ci: symmetricInterval(delta, se, level, df), statistic, p: twoSidedP(statistic, df), df, seeds: k, rule, method };
}
