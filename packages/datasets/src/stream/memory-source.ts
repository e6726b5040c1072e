import type { EncodedTable, TableSource } from '@ektm/core';
import { Prng } from '../random/prng.js';
import { ChunkWriter } from './shuffle-buffer.js';
import { firstRows } from './table-rows.js';

/** A `TableSource` over a table in memory: chunks of `chunkRows`, a full seeded permutation when shuffled. */
export function memorySource(table: EncodedTable, options: { chunkRows?: number } = {}): TableSource {
  const chunkRows = Math.max(1, options.chunkRows ?? 4096);
  return {
    rows: table.rows,
    async *chunks({ shuffleSeed } = {}) {
      const order = Int32Array.from({ length: table.rows }, (_, i) => i);
      if (shuffleSeed !== undefined) {
        const prng = new Prng(shuffleSeed);
        for (let i = order.length - 1; i > 0; i--) {
          const j = prng.int(i + 1);
          const t = order[i]!;
          order[i] = order[j]!;
          order[j] = t;
        }
      }
      const writer = new ChunkWriter(() => emptyLike(table, chunkRows));
      for (const row of order) {
        writer.push(table, row);
        yield* writer.take();
      }
      if (writer.pending > 0) yield firstRows(writer.current, writer.pending);
    },
  };
}

/** An empty table with the columns and labels of `table`. */
function emptyLike(table: EncodedTable, rows: number): EncodedTable {
  const labels: Record<string, Float32Array> = {};
  for (const name in table.labels) labels[name] = new Float32Array(rows);
  const out: EncodedTable = {
    rows,
    categorical: new Int32Array(rows * table.categoricalCount),
    categoricalCount: table.categoricalCount,
    numeric: new Float32Array(rows * table.numericCount),
    numericCount: table.numericCount,
    labels,
  };
  if (table.groups) out.groups = new Int32Array(rows);
  return out;
}
