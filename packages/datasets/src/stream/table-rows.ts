import type { EncodedTable } from '@ektm/core';

/** Copies row `from` of `source` into row `to` of `target` (same columns and labels). */
export function copyRow(source: EncodedTable, from: number, target: EncodedTable, to: number): void {
  const c = source.categoricalCount;
  const m = source.numericCount;
  target.categorical.set(source.categorical.subarray(from * c, from * c + c), to * c);
  target.numeric.set(source.numeric.subarray(from * m, from * m + m), to * m);
  for (const name in source.labels) target.labels[name]![to] = source.labels[name]![from]!;
  if (source.groups && target.groups) target.groups[to] = source.groups[from]!;
}

/** The first `rows` rows of a table, as a new table sharing no memory with it. */
export function firstRows(table: EncodedTable, rows: number): EncodedTable {
  const labels: Record<string, Float32Array> = {};
  for (const name in table.labels) labels[name] = table.labels[name]!.slice(0, rows);
  const out: EncodedTable = {
    rows,
    categorical: table.categorical.slice(0, rows * table.categoricalCount),
    categoricalCount: table.categoricalCount,
    numeric: table.numeric.slice(0, rows * table.numericCount),
    numericCount: table.numericCount,
    labels,
  };
  if (table.groups) out.groups = table.groups.slice(0, rows);
  return out;
}
