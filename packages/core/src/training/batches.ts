import { sliceTable, takeRows, type EncodedTable } from '../data/encoded-table.js';
import type { TableSource } from '../data/table-source.js';
import { seededRandom, SeedSequence } from '../util/seeds.js';
import { DataError } from '../errors/data-error.js';

/** Whether training data is a streaming source rather than a table in memory. */
export function isTableSource(data: EncodedTable | TableSource): data is TableSource {
  return typeof (data as TableSource).chunks === 'function';
}

/**
 * The shuffle seed of one epoch, a pure function of the run's seed and the epoch index, so that a resumed run
 * shuffles its remaining epochs exactly as the uninterrupted run would (the whole "RNG state" is the epoch index).
 */
export function epochSeed(seed: number, epoch: number): number {
  const seq = new SeedSequence((seed ^ Math.imul(epoch + 1, 0x27d4eb2d)) | 0);
  seq.next();
  return seq.next();
}

/**
 * A seeded Fisher–Yates permutation of `0 … n−1`: the same seed gives the same order on every run and machine, so an
 * epoch's batches (and any fixed subset taken as a prefix, such as the CLI's `--train-rows`) are reproducible.
 */
export function shuffledIndices(n: number, seed: number): Uint32Array {
  const random = seededRandom(seed);
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = out[i]!;
    out[i] = out[j]!;
    out[j] = t;
  }
  return out;
}

/** Rows of `a` followed by rows of `b` (same columns and labels). */
function concatTables(a: EncodedTable, b: EncodedTable): EncodedTable {
  if (a.categoricalCount !== b.categoricalCount || a.numericCount !== b.numericCount) {
    throw new DataError(
      `concatTables: column counts differ (${a.categoricalCount}+${a.numericCount} vs ${b.categoricalCount}+${b.numericCount})`,
    );
  }
  const categorical = new Int32Array(a.categorical.length + b.categorical.length);
  categorical.set(a.categorical);
  categorical.set(b.categorical, a.categorical.length);
  const numeric = new Float32Array(a.numeric.length + b.numeric.length);
  numeric.set(a.numeric);
  numeric.set(b.numeric, a.numeric.length);
  const labels: Record<string, Float32Array> = {};
  for (const name of Object.keys(a.labels)) {
    const other = b.labels[name];
    if (!other) throw new DataError(`concatTables: label "${name}" is missing from a later chunk`);
    const merged = new Float32Array(a.rows + b.rows);
    merged.set(a.labels[name]!);
    merged.set(other, a.rows);
    labels[name] = merged;
  }
  let groups: Int32Array | undefined;
  if (a.groups && b.groups) {
    groups = new Int32Array(a.rows + b.rows);
    groups.set(a.groups);
    groups.set(b.groups, a.rows);
  }
  return {
    rows: a.rows + b.rows,
    categorical,
    categoricalCount: a.categoricalCount,
    numeric,
    numericCount: a.numericCount,
    labels,
    groups,
  };
}

/**
 * The batches of one epoch: a table is permuted with the epoch's seed and cut into `batchSize` rows (the last batch
 * may be smaller); a source is asked for a pass shuffled with that seed and its chunks are re-cut into batches.
 */
export async function* epochBatches(data: EncodedTable | TableSource, batchSize: number, seed: number): AsyncGenerator<EncodedTable> {
  if (!isTableSource(data)) {
    const order = shuffledIndices(data.rows, seed);
    for (let start = 0; start < data.rows; start += batchSize) {
      yield takeRows(data, order.subarray(start, Math.min(start + batchSize, data.rows)));
    }
    return;
  }
  let pending: EncodedTable | undefined;
  for await (const chunk of data.chunks({ shuffleSeed: seed })) {
    if (chunk.rows === 0) continue;
    pending = pending ? concatTables(pending, chunk) : chunk;
    let start = 0;
    while (pending.rows - start >= batchSize) {
      yield sliceTable(pending, start, start + batchSize);
      start += batchSize;
    }
    pending = start === 0 ? pending : start === pending.rows ? undefined : sliceTable(pending, start, pending.rows);
  }
  if (pending && pending.rows > 0) yield pending;
}
