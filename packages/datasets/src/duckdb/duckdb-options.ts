/** How DuckDB runs while it reads a dataset: its threads and memory, so that it shares the machine with training. */
export interface DuckDBOptions {
  /** Threads DuckDB may use to read and run queries. Default 1 (the trainer uses the other cores). */
  threads?: number;
  /** DuckDB's own memory limit (joins and sorts spill to `tempDirectory` beyond it), in DuckDB's syntax. Default `"512MB"`. */
  memoryLimit?: string;
  /** Where DuckDB spills when a query needs more than `memoryLimit`. Default: the system's temporary folder. */
  tempDirectory?: string;
}
