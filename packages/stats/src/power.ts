import { standardNormalQuantile } from './distributions.js';
import { hanleyMcNeilSe } from './hanley-mcneil.js';
import { StatsInputError } from './stats-input-error.js';

/**
 * Standard error of the difference of two correlated AUC estimates: √(SE_A² + SE_B² − 2 r SE_A SE_B)
 * (Hanley & McNeil 1983, Radiology 148:839–843). Two models scored on the same rows make correlated errors
 * (r is typically 0.5–0.9 for models trained on the same data; {@link DelongTestResult.correlation} measures it),
 * and the higher r, the smaller the difference a test set can resolve: at r = 0.9 the SE of the difference is
 * 0.45 SE, at r = 0 it is 1.41 SE.
 */
export function pairedDifferenceSe(seA: number, seB: number, correlation: number): number {
  const where = 'pairedDifferenceSe';
  if (!(seA >= 0)) throw new StatsInputError(`${where}: seA is ${seA}; it must be ≥ 0`, 'seA');
  if (!(seB >= 0)) throw new StatsInputError(`${where}: seB is ${seB}; it must be ≥ 0`, 'seB');
  if (!(correlation >= -1 && correlation <= 1)) {
    throw new StatsInputError(`${where}: correlation is ${correlation}; it must be in [-1, 1]`, 'correlation');
  }
  return Math.sqrt(Math.max(0, seA * seA + seB * seB - 2 * correlation * seA * seB));
}

/** What every power calculation needs besides the test set: the error rates. */
export interface PowerOptions {
  /** Two-sided significance level (default 0.05). */
  alpha?: number;
  /** Probability of detecting a true difference of the given size (default 0.8). */
  power?: number;
}

/** Inputs of {@link positivesNeeded}. */
export interface PositivesNeededOptions extends PowerOptions {
  /** AUC of the reference model (B). */
  auc: number;
  /** Difference to detect; model A's AUC is `auc + delta`, which must stay in (0, 1]. */
  delta: number;
  /** Correlation r of the two AUC estimates (see {@link pairedDifferenceSe}). */
  correlation: number;
  /** Negatives per positive in the test set (9 for a 10% positive rate in the task's sample space). */
  negativesPerPositive: number;
}

/** A test-set size found by {@link positivesNeeded}. */
export interface SampleSize {
  /** Positive rows needed (m). */
  readonly positives: number;
  /** Negative rows that come with them: ⌈m × negativesPerPositive⌉. */
  readonly negatives: number;
  /** SE of the difference at that size (Hanley–McNeil SEs, correlation r). */
  readonly seDifference: number;
}

/** Inputs of {@link minimumDetectableDelta}. */
export interface MinimumDetectableDeltaOptions extends PowerOptions {
  /** AUC of the reference model (B). */
  auc: number;
  /** Positive rows of the test set (in the task's sample space). */
  positives: number;
  /** Negative rows of the test set. */
  negatives: number;
  /** Correlation r of the two AUC estimates. */
  correlation: number;
}

/** The smallest AUC gain a test set can detect, found by {@link minimumDetectableDelta}. */
export interface DetectableDelta {
  /** Smallest δ such that a model at `auc + δ` is detected with the given power; Infinity when none is. */
  readonly delta: number;
  /** SE of the difference at that δ. */
  readonly seDifference: number;
}

function quantiles(where: string, options: PowerOptions): number {
  const alpha = options.alpha ?? 0.05;
  const power = options.power ?? 0.8;
  if (!(alpha > 0 && alpha < 1)) throw new StatsInputError(`${where}: alpha is ${alpha}; it must be in (0, 1)`, 'options.alpha');
  if (!(power > 0 && power < 1)) throw new StatsInputError(`${where}: power is ${power}; it must be in (0, 1)`, 'options.power');
  return standardNormalQuantile(1 - alpha / 2) + standardNormalQuantile(power);
}

function checkAuc(where: string, name: string, auc: number): void {
  if (!(auc > 0 && auc <= 1)) throw new StatsInputError(`${where}: ${name} is ${auc}; it must be in (0, 1]`, name);
}

function checkCorrelation(where: string, r: number): void {
  if (!(r >= -1 && r < 1)) throw new StatsInputError(`${where}: correlation is ${r}; it must be in [-1, 1)`, 'correlation');
}

/**
 * The number of positive test rows needed to detect an AUC difference `delta` with the given power by a
 * two-sided test at level alpha: the smallest m with (z₁₋α/₂ + z_power) · SE_diff(m) ≤ |δ|, where SE_diff combines
 * the Hanley–McNeil SEs of `auc` and `auc + delta` on m positives and ⌈m × negativesPerPositive⌉ negatives with
 * correlation r ({@link pairedDifferenceSe}). The normal approximation of the DeLong test's power (Hanley &
 * McNeil 1983). Positives are what is scarce in a conversion task, so the answer is in positives.
 */
export function positivesNeeded(options: PositivesNeededOptions): SampleSize {
  const where = 'positivesNeeded';
  const { auc, delta, correlation, negativesPerPositive } = options;
  checkAuc(where, 'auc', auc);
  checkAuc(where, 'auc + delta', auc + delta);
  if (!(delta !== 0 && Number.isFinite(delta))) throw new StatsInputError(`${where}: delta is ${delta}; it must be non-zero`, 'delta');
  checkCorrelation(where, correlation);
  if (!(negativesPerPositive > 0 && Number.isFinite(negativesPerPositive))) {
    throw new StatsInputError(`${where}: negativesPerPositive is ${negativesPerPositive}; it must be > 0`, 'negativesPerPositive');
  }
  const z = quantiles(where, options);
  const seAt = (m: number) => {
    const n = Math.ceil(m * negativesPerPositive);
    return pairedDifferenceSe(hanleyMcNeilSe(auc, m, n), hanleyMcNeilSe(auc + delta, m, n), correlation);
  };
  const enough = (m: number) => z * seAt(m) <= Math.abs(delta);
  // SE_diff falls with m: double until enough, then bisect (lo is never enough, hi always is).
  let lo = 0;
  let hi = 1;
  while (!enough(hi)) {
    lo = hi;
    hi *= 2;
    if (hi > 2 ** 52)
      throw new StatsInputError(
        `${where}: no test set is large enough (the SE of the difference does not shrink)`,
        'delta',
        'insufficient',
      );
  }
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (enough(mid)) hi = mid;
    else lo = mid;
  }
  return { positives: hi, negatives: Math.ceil(hi * negativesPerPositive), seDifference: seAt(hi) };
}

/**
 * The smallest AUC gain over `auc` that a test set of the given size detects with the given power at level
 * alpha: the δ > 0 solving δ = (z₁₋α/₂ + z_power) · SE_diff(auc, auc + δ), found by bisection (SE_diff depends on
 * δ through the second model's Hanley–McNeil SE). What a results table should quote next to a difference:
 * "this test set resolves differences of ≥ 0.004 AUC".
 */
export function minimumDetectableDelta(options: MinimumDetectableDeltaOptions): DetectableDelta {
  const where = 'minimumDetectableDelta';
  const { auc, positives, negatives, correlation } = options;
  checkAuc(where, 'auc', auc);
  if (auc >= 1) throw new StatsInputError(`${where}: auc is 1; no model can improve on it`, 'auc', 'insufficient');
  checkCorrelation(where, correlation);
  const z = quantiles(where, options);
  const seA = hanleyMcNeilSe(auc, positives, negatives);
  const seDiff = (delta: number) => pairedDifferenceSe(seA, hanleyMcNeilSe(auc + delta, positives, negatives), correlation);
  const gap = (delta: number) => delta - z * seDiff(delta);
  let lo = 0;
  let hi = 1 - auc;
  if (gap(hi) < 0) return { delta: Infinity, seDifference: seDiff(hi) };
  for (let i = 0; i < 200 && hi - lo > 1e-12; i++) {
    const mid = (lo + hi) / 2;
    if (gap(mid) >= 0) hi = mid;
    else lo = mid;
  }
  return { delta: hi, seDifference: seDiff(hi) };
}
