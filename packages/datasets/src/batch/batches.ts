import type { EncodedTable, TaskSpec } from '@ektm/core';
import { Prng } from '../random/prng.js';
import { taskMask } from './task-mask.js';

/**
 * One training batch as flat typed arrays, ready for `tf.tensor2d(batch.categorical, [rows, categoricalCount], 'int32')`
 * and float32 tensors: per task a label (0 where missing) and a sample-space mask (1 = counts in the loss).
 */
export interface Batch {
  /** Rows in this batch. */
  rows: number;
  /** `rows × categoricalCount` int32 indices. */
  categorical: Int32Array;
  /** Categorical columns per row. */
  categoricalCount: number;
  /** `rows × numericCount` float32 values. */
  numeric: Float32Array;
  /** Numeric columns per row. */
  numericCount: number;
  /** Label per task (missing labels become 0 and are masked out). */
  labels: Record<string, Float32Array>;
  /** Mask per task: 1 where the label is present and the row is in the task's sample space (parents' labels are 1). */
  masks: Record<string, Float32Array>;
  /** Group ids, when the table has them. */
  groups?: Int32Array;
}

/** Options of {@link iterateBatches}. */
export interface BatchOptions {
  /** Rows per batch (the last batch may be smaller). Default 1024. */
  batchSize?: number;
  /** Shuffle the rows with this seed; in table order without one. */
  shuffleSeed?: number;
}

/**
 * Cuts a table into batches with per-task labels and masks. Masks follow each task's `parent` chain, so a CVR
 * task only counts clicked rows; a product task (ESMM's CTCVR) counts every row with a label.
 */
export function* iterateBatches(table: EncodedTable, tasks: readonly TaskSpec[], options: BatchOptions = {}): Generator<Batch> {
  const batchSize = Math.max(1, options.batchSize ?? 1024);
  const masks = Object.fromEntries(tasks.map((t) => [t.name, taskMask(table, tasks, t.name)]));
  const order = Int32Array.from({ length: table.rows }, (_, i) => i);
  if (options.shuffleSeed !== undefined) {
    const prng = new Prng(options.shuffleSeed);
    for (let i = order.length - 1; i > 0; i--) {
      const j = prng.int(i + 1);
      const t = order[i]!;
      order[i] = order[j]!;
      order[j] = t;
    }
  }
  const { categoricalCount: c, numericCount: m } = table;
  for (let start = 0; start < table.rows; start += batchSize) {
    const rows = Math.min(batchSize, table.rows - start);
    const batch: Batch = {
      rows,
      categorical: new Int32Array(rows * c),
      categoricalCount: c,
      numeric: new Float32Array(rows * m),
      numericCount: m,
      labels: {},
      masks: {},
    };
    if (table.groups) batch.groups = new Int32Array(rows);
    for (const t of tasks) {
      batch.labels[t.name] = new Float32Array(rows);
      batch.masks[t.name] = new Float32Array(rows);
    }
    for (let k = 0; k < rows; k++) {
      const r = order[start + k]!;
      batch.categorical.set(table.categorical.subarray(r * c, r * c + c), k * c);
      batch.numeric.set(table.numeric.subarray(r * m, r * m + m), k * m);
      for (const t of tasks) {
        const label = table.labels[t.label ?? t.name]![r]!;
        batch.labels[t.name]![k] = Number.isNaN(label) ? 0 : label;
        batch.masks[t.name]![k] = masks[t.name]![r]!;
      }
      if (batch.groups) batch.groups[k] = table.groups![r]!;
    }
    yield batch;
  }
}
