import type { NumericTransformName } from '../spec/dataset-spec.js';
import { Prng } from '../random/prng.js';

/** One fitted numeric transform, with the train statistics it needs; saved with a model. */
export type FittedNumericTransform =
  | {
      /** sign(x)·log(1 + |x|). */
      kind: 'log1p';
    }
  | {
      /** (x − mean) / std. */
      kind: 'standardise';
      /** Train mean of the values reaching this step. */
      mean: number;
      /** Train standard deviation of those values (1 for a constant column). */
      std: number;
    }
  | {
      /** A bucket index: 1 + the number of boundaries <= x. */
      kind: 'buckets';
      /** Ascending boundaries. */
      boundaries: number[];
    };

/** A numeric feature's fitted transforms, and the value that stands in for a missing one. */
export interface FittedNumeric {
  /** Applied in order. A chain ending in `buckets` gives a categorical bucket index. */
  transforms: FittedNumericTransform[];
  /** Output for a missing value: the train mean of the transformed values (0 after standardise). Unused with buckets. */
  fill: number;
}

/** sign(x)·log(1 + |x|): log1p that also accepts negative values. */
function signedLog1p(x: number): number {
  return x < 0 ? -Math.log1p(-x) : Math.log1p(x);
}

/** How many of the ascending boundaries are <= x. */
function countAtMost(boundaries: readonly number[], x: number): number {
  let lo = 0;
  let hi = boundaries.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (boundaries[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Applies the chain up to (not including) a final `buckets` step. */
function applyContinuous(fitted: FittedNumeric, raw: number): number {
  let x = raw;
  for (const t of fitted.transforms) {
    if (t.kind === 'log1p') x = signedLog1p(x);
    else if (t.kind === 'standardise') x = (x - t.mean) / t.std;
  }
  return x;
}

/** The encoded float of a raw value (NaN = missing, which gives `fill`). */
export function encodeNumeric(fitted: FittedNumeric, raw: number): number {
  return Number.isNaN(raw) ? fitted.fill : applyContinuous(fitted, raw);
}

/** The bucket index of a raw value in `[1, boundaries + 1]`; 0 for missing. */
export function encodeBucket(fitted: FittedNumeric, raw: number): number {
  if (Number.isNaN(raw)) return 0;
  const last = fitted.transforms[fitted.transforms.length - 1];
  // Internal invariant: only called for features whose fitted chain ends in buckets.
  if (last?.kind !== 'buckets') throw new Error('encodeBucket: the chain does not end in buckets');
  return 1 + countAtMost(last.boundaries, applyContinuous(fitted, raw));
}

/** Number of bucket indices (including 0 = missing) of a bucketised feature. */
export function bucketCount(fitted: FittedNumeric): number {
  const last = fitted.transforms[fitted.transforms.length - 1];
  return last?.kind === 'buckets' ? last.boundaries.length + 2 : 0;
}

/** Options of a numeric accumulator. */
export interface NumericAccumulatorOptions {
  /** Equal-frequency bucket count, computed from train values. */
  buckets?: number;
  /** Explicit bucket boundaries. */
  boundaries?: number[];
  /** Train values kept for quantiles; with no more train values than this the quantiles are exact. */
  reservoirSize?: number;
  /** Seed of the reservoir's sampling. */
  seed?: number;
}

/**
 * Gathers the train statistics of one numeric feature in one streaming pass: mean and standard deviation by
 * Welford's method (after log1p when that comes first) and a seeded reservoir for bucket quantiles. The in-memory
 * loader and the streaming fit feed it the same train values in the same order, so both fit the same numbers.
 */
export class NumericAccumulator {
  private count = 0;
  private mean = 0;
  private m2 = 0;
  private readonly reservoir: number[] = [];
  private readonly reservoirSize: number;
  private readonly prng: Prng;

  constructor(
    private readonly transforms: readonly NumericTransformName[],
    private readonly options: NumericAccumulatorOptions = {},
  ) {
    this.reservoirSize = options.reservoirSize ?? 200_000;
    this.prng = new Prng(options.seed ?? 0);
  }

  /** Adds one non-missing train value. */
  add(raw: number): void {
    const x = this.transforms[0] === 'log1p' ? signedLog1p(raw) : raw;
    this.count++;
    const delta = x - this.mean;
    this.mean += delta / this.count;
    this.m2 += delta * (x - this.mean);
    if (this.options.buckets !== undefined) {
      if (this.reservoir.length < this.reservoirSize) this.reservoir.push(x);
      else {
        const j = this.prng.int(this.count);
        if (j < this.reservoirSize) this.reservoir[j] = x;
      }
    }
  }

  /** The fitted transforms. A column with no train values gets mean 0 and std 1. */
  fit(): FittedNumeric {
    const mean = this.count > 0 ? this.mean : 0;
    const variance = this.count > 0 ? this.m2 / this.count : 1;
    const std = variance > 1e-24 ? Math.sqrt(variance) : 1;
    const transforms: FittedNumericTransform[] = [];
    let fill = mean;
    for (const name of this.transforms) {
      if (name === 'log1p') transforms.push({ kind: 'log1p' });
      else if (name === 'standardise') {
        transforms.push({ kind: 'standardise', mean, std });
        fill = 0;
      } else transforms.push({ kind: 'buckets', boundaries: this.boundaries(transforms) });
    }
    return { transforms, fill };
  }

  private boundaries(before: FittedNumericTransform[]): number[] {
    if (this.options.boundaries) return [...this.options.boundaries];
    const n = this.options.buckets!;
    const standardise = before.find((t) => t.kind === 'standardise');
    const values = this.reservoir.map((x) => (standardise?.kind === 'standardise' ? (x - standardise.mean) / standardise.std : x));
    values.sort((a, b) => a - b);
    const out: number[] = [];
    for (let k = 1; k < n && values.length > 0; k++) {
      const q = values[Math.min(values.length - 1, Math.floor((k * values.length) / n))]!;
      if (out.length === 0 || q > out[out.length - 1]!) out.push(q);
    }
    return out;
  }
}
