import type { EncodedTable } from '@ektm/core';

/** The rows of several encoded tables with the same columns, one after the other (labels and groups are dropped). */
export function concatTables(tables: readonly EncodedTable[]): EncodedTable {
  if (tables.length === 1) return tables[0]!;
  const { categoricalCount: c, numericCount: m } = tables[0]!;
  const rows = tables.reduce((n, t) => n + t.rows, 0);
  const categorical = new Int32Array(rows * c);
  const numeric = new Float32Array(rows * m);
  let at = 0;
  for (const t of tables) {
    categorical.set(t.categorical.subarray(0, t.rows * c), at * c);
    numeric.set(t.numeric.subarray(0, t.rows * m), at * m);
    at += t.rows;
  }
  return { rows, categorical, categoricalCount: c, numeric, numericCount: m, labels: {} };
}
