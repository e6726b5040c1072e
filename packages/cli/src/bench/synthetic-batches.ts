/**
 * The synthetic batches of `../shared/bench/torch_mmoe.py`, so that `ektm bench` and the PyTorch reference see
 * the same kind of data: ids = floor(u² · V) (a skewed, power-law-like id distribution, which matters for the
 * embedding updates) and labels that threshold sums of a fixed random value per (field, id). Not bit-identical
 * to numpy's generator (a seeded mulberry32 instead), identical in distribution.
 */
import type { EncodedTable } from '@ektm/core';
import { ConfigError } from '@ektm/core';

/** Sizes of {@link syntheticBatches}. */
export interface SyntheticBatchOptions {
  /** Batches to generate. */
  count: number;
  /** Rows a batch. */
  rows: number;
  /** Categorical fields. */
  fields: number;
  /** Ids a field. */
  vocabularySize: number;
  /** Task names, one label column each (see {@link syntheticBatches} for how label k is defined). */
  tasks: readonly string[];
  /** Generator seed. Default 12345. */
  seed?: number;
}

/** A small seeded uniform generator in [0, 1) (mulberry32): fast, and the same stream on every machine. */
export function uniformGenerator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Which fields label `k` sums, and its threshold: the torch script's two labels first, then further ones. */
function labelRule(k: number): { uses: (field: number) => boolean; threshold: number } {
  if (k === 0) return { uses: () => true, threshold: 0 }; // torch: sum over all fields > 0
  if (k === 1) return { uses: (f) => f % 2 === 1, threshold: 0.5 }; // torch: sum over odd fields > 0.5
  return { uses: (f) => f % (k + 1) === 0, threshold: 0 }; // beyond the reference (EKTM's 4 tasks)
}

/**
 * `count` batches of `rows` rows as `EncodedTable`s (categorical ids only, one label per task). Label 0
 * is 1 when the hidden values of all fields sum above 0 and label 1 when those of the odd fields sum above 0.5
 * (the PyTorch reference's two labels); label k ≥ 2 sums the fields f with f mod (k+1) = 0, above 0.
 */
export function syntheticBatches(options: SyntheticBatchOptions): EncodedTable[] {
  const { count, rows, fields, vocabularySize, tasks } = options;
  for (const [name, value] of [
    ['count', count],
    ['rows', rows],
    ['fields', fields],
    ['vocabularySize', vocabularySize],
  ] as const) {
    if (!Number.isInteger(value) || value < 1) throw new ConfigError(`syntheticBatches: ${name} ${value} must be an integer >= 1`, name);
  }
  const u = uniformGenerator(options.seed ?? 12345);
  const hidden = new Float32Array(fields * vocabularySize);
  for (let i = 0; i < hidden.length; i++) hidden[i] = 2 * u() - 1;
  const rules = tasks.map((_, k) => labelRule(k));
  return Array.from({ length: count }, () => {
    const categorical = new Int32Array(rows * fields);
    const columns = tasks.map(() => new Float32Array(rows));
    const sums = new Float64Array(tasks.length);
    for (let r = 0; r < rows; r++) {
      sums.fill(0);
      for (let f = 0; f < fields; f++) {
        const v = u();
        const id = Math.floor(v * v * vocabularySize);
        categorical[r * fields + f] = id;
        const value = hidden[f * vocabularySize + id]!;
        for (let k = 0; k < rules.length; k++) if (rules[k]!.uses(f)) sums[k] += value;
      }
      for (let k = 0; k < rules.length; k++) columns[k]![r] = sums[k]! > rules[k]!.threshold ? 1 : 0;
    }
    const labels = Object.fromEntries(tasks.map((task, k) => [task, columns[k]!]));
    return { rows, categorical, categoricalCount: fields, numeric: new Float32Array(0), numericCount: 0, labels };
  });
}
