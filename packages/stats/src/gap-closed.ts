import { checkLevel, type Labels, type RowMask, type Scores } from './inputs.js';
import { symmetricInterval, type ConfidenceInterval } from './confidence-interval.js';
import { delongCovariance } from './delong-covariance.js';
import { bootstrapAucs } from './bootstrap.js';
import { percentileInterval } from './percentile-interval.js';
import { StatsInputError } from './stats-input-error.js';

/** Options of {@link gapClosed}. */
export interface GapClosedOptions {
  /** Rows of the task's own sample space (default: every row). */
  mask?: RowMask;
  /** Confidence level (default 0.95). */
  level?: number;
  /**
   * How the interval is computed (default `'delta'`). `'delta'`: the delta method on DeLong's joint covariance
   * of the three AUCs, a normal interval, O(n log n). `'bootstrap'`: the percentile interval of the share over
   * stratified paired bootstrap replicates ({@link bootstrapAucs}); slower, and better when the gap is small
   * relative to its noise, where the ratio's distribution is skewed.
   */
  method?: 'delta' | 'bootstrap';
  /** Bootstrap replicates (default 1000; `'bootstrap'` only). */
  resamples?: number;
  /** Bootstrap generator seed (default 0; `'bootstrap'` only). */
  seed?: number;
}

/** The share of the gap between a reference model and the best possible model that a model closes. */
export interface GapClosedResult {
  /** (AUC_model − AUC_reference) / (AUC_optimal − AUC_reference): 0 = no better than the reference, 1 = optimal. */
  readonly share: number;
  /** Standard error of the share: delta method, or the SD of the bootstrap replicates. */
  readonly se: number;
  /** Confidence interval of the share. */
  readonly ci: ConfidenceInterval;
  /** AUC of the model. */
  readonly aucModel: number;
  /** AUC of the reference (e.g. the single-task or MMoE baseline). */
  readonly aucReference: number;
  /** AUC of the optimal scores (the simulator's true probabilities). */
  readonly aucOptimal: number;
  /** The interval's method. */
  readonly method: 'delta' | 'bootstrap';
  /** Bootstrap replicates in which the optimal did not beat the reference, counted as ±Infinity (0 for `'delta'`). */
  readonly degenerateReplicates: number;
  /** Positive rows (m). */
  readonly positives: number;
  /** Negative rows (n). */
  readonly negatives: number;
}

/**
 * On simulated data, where the true probabilities are known, how much of the room for improvement a model
 * takes: (AUC_model − AUC_reference) / (AUC_optimal − AUC_reference), with a confidence interval. A raw AUC gain
 * of 0.004 means little until one knows the gap was 0.01 (40% closed) rather than 0.08 (5%); the share makes
 * gains comparable across targets and simulator settings.
 *
 * The delta method (default): with g(M, R, O) = (M − R)/(O − R) and D = O − R, the gradient is
 * (1/D, (M − O)/D², −(M − R)/D²) and Var(g) ≈ ∇ᵀ Σ ∇, Σ being DeLong's covariance of the three AUCs on the same
 * rows ({@link delongCovariance}). Throws {@link StatsInputError} (`insufficient`) when the optimal scores do not
 * beat the reference: there is no gap to close.
 */
export function gapClosed(
  labels: Labels,
  model: Scores,
  reference: Scores,
  optimal: Scores,
  options: GapClosedOptions = {},
): GapClosedResult {
  const where = 'gapClosed';
  const level = checkLevel(where, options.level ?? 0.95);
  const method = options.method ?? 'delta';
  if (method !== 'delta' && method !== 'bootstrap') {
    throw new StatsInputError(`${where}: method is ${String(method)}; it must be 'delta' or 'bootstrap'`, 'options.method');
  }
  const { aucs, covariance, positives, negatives } = delongCovariance(labels, [model, reference, optimal], { mask: options.mask });
  const [aucModel, aucReference, aucOptimal] = aucs as [number, number, number];
  const gap = aucOptimal - aucReference;
  if (!(gap > 0)) {
    throw new StatsInputError(
      `${where}: the optimal scores' AUC (${aucOptimal}) does not exceed the reference's (${aucReference}); there is no gap to close`,
      'optimal',
      'insufficient',
    );
  }
  const share = (aucModel - aucReference) / gap;
  if (method === 'delta') {
    const gradient = [1 / gap, (aucModel - aucOptimal) / (gap * gap), -(aucModel - aucReference) / (gap * gap)];
    let variance = 0;
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) variance += gradient[i]! * covariance[i]![j]! * gradient[j]!;
    const se = Math.sqrt(Math.max(0, variance));
    return {
      share,
      se,
      ci: symmetricInterval(share, se, level),
      aucModel,
      aucReference,
      aucOptimal,
      method,
      degenerateReplicates: 0,
      positives,
      negatives,
    };
  }
  const boot = bootstrapAucs(labels, [model, reference, optimal], { mask: options.mask, resamples: options.resamples, seed: options.seed });
  const [bm, br, bo] = boot.replicates as [Float64Array, Float64Array, Float64Array];
  const shares = new Float64Array(boot.resamples);
  let degenerateReplicates = 0;
  let sum = 0;
  let finite = 0;
  for (let b = 0; b < boot.resamples; b++) {
    const d = bo[b]! - br[b]!;
    const gain = bm[b]! - br[b]!;
    if (d > 0) {
      shares[b] = gain / d;
      sum += shares[b]!;
      finite++;
    } else {
      degenerateReplicates++;
      shares[b] = gain < 0 ? -Infinity : Infinity;
    }
  }
  const mean = finite > 0 ? sum / finite : NaN;
  let squares = 0;
  for (let b = 0; b < boot.resamples; b++) if (Number.isFinite(shares[b]!)) squares += (shares[b]! - mean) ** 2;
  const se = degenerateReplicates > 0 ? Infinity : finite > 1 ? Math.sqrt(squares / (finite - 1)) : 0;
  return {
    share,
    se,
    ci: percentileInterval(shares, level),
    aucModel,
    aucReference,
    aucOptimal,
    method,
    degenerateReplicates,
    positives,
    negatives,
  };
}
