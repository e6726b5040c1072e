import { DataError, type EncodedTable, type TableSource } from '@ektm/core';

/** Reads a source once, in order, into one table (each row copied once; for splits that fit in memory, such as validation). */
export async function collectTable(source: TableSource): Promise<EncodedTable> {
  const chunks: EncodedTable[] = [];
  let rows = 0;
  for await (const chunk of source.chunks()) {
    chunks.push(chunk);
    rows += chunk.rows;
  }
  const first = chunks[0];
  if (!first) throw new DataError('the split has no rows');
  const { categoricalCount: c, numericCount: m } = first;
  const table: EncodedTable = {
    rows,
    categorical: new Int32Array(rows * c),
    categoricalCount: c,
    numeric: new Float32Array(rows * m),
    numericCount: m,
    labels: Object.fromEntries(Object.keys(first.labels).map((name) => [name, new Float32Array(rows)])),
    ...(first.groups ? { groups: new Int32Array(rows) } : {}),
  };
  let at = 0;
  for (const chunk of chunks) {
    table.categorical.set(chunk.categorical, at * c);
    table.numeric.set(chunk.numeric, at * m);
    for (const name in table.labels) table.labels[name]!.set(chunk.labels[name]!, at);
    if (table.groups) table.groups.set(chunk.groups!, at);
    at += chunk.rows;
  }
  return table;
}
