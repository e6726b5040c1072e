import type { EncodedTable } from './encoded-table.js';

/**
 * Where training rows come from: a table in memory, or a stream over files larger than memory.
 * The trainer cuts the chunks into batches; a source that shuffles does so itself (a seeded buffer).
 */
export interface TableSource {
  /** Row count when known up front (for progress and time-left estimates). */
  readonly rows?: number;
  /** One pass over the rows, in chunks of any size; shuffled when `shuffleSeed` is given. */
  chunks(options?: { shuffleSeed?: number }): AsyncIterable<EncodedTable>;
}
