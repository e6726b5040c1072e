import { StatsInputError } from './stats-input-error.js';

/**
 * Model scores, one a row: probabilities or any real-valued scores (only their order matters to AUC).
 * `ArrayLike` so that a model's `Float32Array` output, a `Float64Array` or a plain array all work without a copy.
 */
export type Scores = ArrayLike<number>;

/** 0/1 labels, one a row (`Uint8Array`, `Float32Array` as in an encoded table, or `number[]`). */
export type Labels = ArrayLike<number>;

/**
 * Selects the rows of a task's own sample space (for a conversion task, the clicked rows): a row counts when
 * its entry is `true` or a non-zero number. Rows outside the mask may carry any label (e.g. NaN for "unknown").
 */
export type RowMask = ArrayLike<boolean | number>;

/** The rows a comparison uses, split by class, in row order (so that every model's scores line up). */
export interface ClassRows {
  /** Indices of the selected rows labelled 1, ascending. */
  readonly positives: Uint32Array;
  /** Indices of the selected rows labelled 0, ascending. */
  readonly negatives: Uint32Array;
}

/**
 * Checks the labels (and mask) and returns the selected rows split by class. Labels must be exactly 0 or 1
 * inside the mask: a 0.5 or a NaN there is a bug upstream, not something to round away.
 */
export function classRows(where: string, labels: Labels, mask?: RowMask): ClassRows {
  const n = labels.length;
  if (mask !== undefined && mask.length !== n) {
    throw new StatsInputError(`${where}: mask has ${mask.length} entries but labels has ${n}`, 'mask');
  }
  let positives = 0;
  let selected = 0;
  for (let i = 0; i < n; i++) {
    if (mask !== undefined && !mask[i]) continue;
    const label = labels[i]!;
    if (label === 1) positives++;
    else if (label !== 0) {
      throw new StatsInputError(
        `${where}: labels[${i}] is ${label}; labels must be 0 or 1 in the selected rows (mask rows without a label)`,
        'labels',
      );
    }
    selected++;
  }
  const pos = new Uint32Array(positives);
  const neg = new Uint32Array(selected - positives);
  let p = 0;
  let q = 0;
  for (let i = 0; i < n; i++) {
    if (mask !== undefined && !mask[i]) continue;
    if (labels[i] === 1) pos[p++] = i;
    else neg[q++] = i;
  }
  return { positives: pos, negatives: neg };
}

/**
 * Throws the `insufficient` error when a class has fewer than `minimum` rows: DeLong's variance is a sample
 * variance over each class, so it needs two positives and two negatives.
 */
export function requireClassCounts(where: string, rows: ClassRows, minimum: number): void {
  const m = rows.positives.length;
  const n = rows.negatives.length;
  if (m < minimum || n < minimum) {
    throw new StatsInputError(
      `${where}: ${m} positive and ${n} negative rows selected; at least ${minimum} of each are needed`,
      'labels',
      'insufficient',
    );
  }
}

/**
 * Gathers one model's scores of the given rows into a `Float64Array` and rejects NaN (a model that produced a
 * NaN has diverged; ranking NaN would silently give a wrong AUC). ±Infinity is allowed: it orders fine.
 */
export function gatherScores(where: string, argument: string, scores: Scores, length: number, rows: Uint32Array): Float64Array {
  if (scores.length !== length) {
    throw new StatsInputError(`${where}: ${argument} has ${scores.length} entries but labels has ${length}`, argument);
  }
  const out = new Float64Array(rows.length);
  for (let k = 0; k < rows.length; k++) {
    const s = scores[rows[k]!]!;
    if (Number.isNaN(s)) throw new StatsInputError(`${where}: ${argument}[${rows[k]}] is NaN; the model produced a NaN score`, argument);
    out[k] = s;
  }
  return out;
}

/** Checks a confidence level (default 0.95): a probability strictly between 0 and 1. */
export function checkLevel(where: string, level: number): number {
  if (!(level > 0 && level < 1)) throw new StatsInputError(`${where}: level is ${level}; it must be in (0, 1), e.g. 0.95`, 'options.level');
  return level;
}
