import type { EncodedTable } from '@ektm/core';
import { Prng } from '../random/prng.js';
import { copyRow } from './table-rows.js';

/**
 * A seeded shuffle buffer over encoded rows, for streams too large to shuffle in memory: it holds
 * `capacity` rows; each new row evicts a random held row to the output. With no more rows than the capacity
 * the result is a uniform shuffle. The same seed and input give the same order.
 */
export class ShuffleBuffer {
  private size = 0;
  private readonly prng: Prng;

  /**
   * @param table a table of `capacity` rows that holds the buffered rows (new rows are written into it)
   * @param seed the shuffle seed
   */
  constructor(
    readonly table: EncodedTable,
    seed: number,
  ) {
    this.prng = new Prng(seed);
  }

  /**
   * Makes room for one incoming row: returns the buffer row the caller should write the new row into, after
   * `emit` has been given the evicted row (when the buffer was full).
   */
  slotFor(emit: (table: EncodedTable, row: number) => void): number {
    if (this.size < this.table.rows) return this.size++;
    const j = this.prng.int(this.table.rows);
    emit(this.table, j);
    return j;
  }

  /** Emits the held rows in a random order and empties the buffer. */
  drain(emit: (table: EncodedTable, row: number) => void): void {
    const order = Int32Array.from({ length: this.size }, (_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = this.prng.int(i + 1);
      const t = order[i]!;
      order[i] = order[j]!;
      order[j] = t;
    }
    for (const row of order) emit(this.table, row);
    this.size = 0;
  }
}

/** Collects rows into chunks of `chunkRows` and hands each full chunk on. */
export class ChunkWriter {
  private chunk: EncodedTable;
  private filled = 0;
  private readonly ready: EncodedTable[] = [];

  constructor(private readonly allocate: () => EncodedTable) {
    this.chunk = allocate();
  }

  /** The next free row of the current chunk (call `commit` after writing it). */
  get target(): { table: EncodedTable; row: number } {
    return { table: this.chunk, row: this.filled };
  }

  /** Counts the row just written at `target`. */
  commit(): void {
    if (++this.filled === this.chunk.rows) {
      this.ready.push(this.chunk);
      this.chunk = this.allocate();
      this.filled = 0;
    }
  }

  /** Copies a row in. */
  push(table: EncodedTable, row: number): void {
    copyRow(table, row, this.chunk, this.filled);
    this.commit();
  }

  /** Full chunks so far (emptied by the call). */
  take(): EncodedTable[] {
    return this.ready.splice(0);
  }

  /** Rows written to the current, not yet full, chunk. */
  get pending(): number {
    return this.filled;
  }

  /** The current chunk, for the final partial chunk. */
  get current(): EncodedTable {
    return this.chunk;
  }
}
