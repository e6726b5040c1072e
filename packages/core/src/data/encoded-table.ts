/**
 * Rows already encoded for a model, in flat typed arrays (row-major). This is the hand-over between
 * `@ektm/datasets` (which reads and encodes files) and `@ektm/core` (which batches, trains and evaluates).
 * Column order follows `splitFeatures(features)`: categorical fields in order, numeric fields in order.
 */
export interface EncodedTable {
  /** Number of rows. */
  rows: number;
  /** `rows × categoricalCount` indices, each in `[0, vocabularySize)` of its field; 0 is out-of-vocabulary. */
  categorical: Int32Array;
  /** Number of categorical columns. */
  categoricalCount: number;
  /** `rows × numericCount` floats. */
  numeric: Float32Array;
  /** Number of numeric columns. */
  numericCount: number;
  /** Labels keyed by label name (usually the task name): 0 or 1 (or a float for regression); NaN = missing. */
  labels: Record<string, Float32Array>;
  /** Optional group id per row (e.g. user), for GAUC. */
  groups?: Int32Array;
}

/** Rows `[start, end)` of a table, sharing no memory with it. */
export function sliceTable(table: EncodedTable, start: number, end: number): EncodedTable {
  const labels: Record<string, Float32Array> = {};
  for (const [name, values] of Object.entries(table.labels)) labels[name] = values.slice(start, end);
  return {
    rows: end - start,
    categorical: table.categorical.slice(start * table.categoricalCount, end * table.categoricalCount),
    categoricalCount: table.categoricalCount,
    numeric: table.numeric.slice(start * table.numericCount, end * table.numericCount),
    numericCount: table.numericCount,
    labels,
    groups: table.groups?.slice(start, end),
  };
}

/** The rows at `indices`, in that order (a shuffled epoch, a split). */
export function takeRows(table: EncodedTable, indices: ArrayLike<number>): EncodedTable {
  const n = indices.length;
  const { categoricalCount: c, numericCount: m } = table;
  const categorical = new Int32Array(n * c);
  const numeric = new Float32Array(n * m);
  const labels: Record<string, Float32Array> = {};
  for (const name of Object.keys(table.labels)) labels[name] = new Float32Array(n);
  const groups = table.groups ? new Int32Array(n) : undefined;
  for (let i = 0; i < n; i++) {
    const r = indices[i]!;
    categorical.set(table.categorical.subarray(r * c, r * c + c), i * c);
    numeric.set(table.numeric.subarray(r * m, r * m + m), i * m);
    for (const [name, values] of Object.entries(table.labels)) labels[name]![i] = values[r]!;
    if (groups) groups[i] = table.groups![r]!;
  }
  return { rows: n, categorical, categoricalCount: c, numeric, numericCount: m, labels, groups };
}
