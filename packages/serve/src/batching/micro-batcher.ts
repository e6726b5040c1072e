import type { EncodedTable } from '@ektm/core';
import { ConfigError } from '@ektm/core';
import { concatTables } from './concat-tables.js';

/** Settings of a {@link MicroBatcher}. */
export interface MicroBatchOptions {
  /** Most rows one engine call takes; requests are merged until the next would pass it. Default 256. */
  maxBatchRows?: number;
  /**
   * Longest a request waits for others to join its batch, in milliseconds, counted from its arrival. 0 still
   * merges the requests that arrive while a batch runs. Default 2.
   */
  maxWaitMs?: number;
}

/** The defaults of {@link MicroBatchOptions}. */
export const MICRO_BATCH_DEFAULTS: Required<MicroBatchOptions> = { maxBatchRows: 256, maxWaitMs: 2 };

/** What the batcher reports after every engine call (for metrics). */
export interface BatchReport {
  /** Rows in the batch. */
  rows: number;
  /** Requests merged into it. */
  requests: number;
  /** Time the engine took, in seconds. */
  seconds: number;
  /** Whether the engine failed (every request of the batch then fails with its error). */
  failed: boolean;
}

/** The answer to a request submitted after {@link MicroBatcher.close} (the model is being replaced, or the server stops). */
export class BatcherClosedError extends Error {
  /** Always `BatcherClosedError`. */
  override readonly name = 'BatcherClosedError';
  constructor() {
    super('the model is being replaced or the server is stopping; retry');
  }
}

interface Pending {
  table: EncodedTable;
  arrived: number;
  resolve: (result: Record<string, Float32Array>) => void;
  reject: (error: unknown) => void;
}

/**
 * Merges concurrent prediction requests into batches: one engine call serves many requests, which is what makes a
 * model server fast (the per-call overhead of a model dwarfs one row's arithmetic). A batch starts when it holds
 * `maxBatchRows` rows or its oldest request has waited `maxWaitMs`; one batch runs at a time, and the requests that
 * arrive meanwhile form the next one. A request larger than `maxBatchRows` runs as a batch of its own.
 */
export class MicroBatcher {
  /** Most rows one engine call takes. */
  readonly maxBatchRows: number;
  /** Longest a request waits for others to join its batch, in milliseconds. */
  readonly maxWaitMs: number;
  private readonly queue: Pending[] = [];
  private queuedRows = 0;
  private running = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly predict: (table: EncodedTable) => Promise<Record<string, Float32Array>>,
    options: MicroBatchOptions = {},
    private readonly onBatch: (report: BatchReport) => void = () => undefined,
  ) {
    this.maxBatchRows = options.maxBatchRows ?? MICRO_BATCH_DEFAULTS.maxBatchRows;
    this.maxWaitMs = options.maxWaitMs ?? MICRO_BATCH_DEFAULTS.maxWaitMs;
    if (!Number.isInteger(this.maxBatchRows) || this.maxBatchRows < 1) {
      throw new ConfigError(`maxBatchRows is ${this.maxBatchRows}; it must be an integer >= 1`, 'maxBatchRows');
    }
    if (!Number.isFinite(this.maxWaitMs) || this.maxWaitMs < 0) {
      throw new ConfigError(`maxWaitMs is ${this.maxWaitMs}; it must be a number >= 0`, 'maxWaitMs');
    }
  }

  /** Rows waiting for a batch. */
  get pendingRows(): number {
    return this.queuedRows;
  }

  /** Per-task probabilities for the rows of `table`, computed in a batch with whatever else is waiting. */
  submit(table: EncodedTable): Promise<Record<string, Float32Array>> {
    if (this.closed) return Promise.reject(new BatcherClosedError());
    return new Promise((resolve, reject) => {
      this.queue.push({ table, arrived: performance.now(), resolve, reject });
      this.queuedRows += table.rows;
      this.schedule();
    });
  }

  /** Takes no new requests, and resolves once every accepted request has its answer. */
  close(): Promise<void> {
    this.closed = true;
    if (!this.running && this.queue.length === 0) return Promise.resolve();
    const idle = new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    this.schedule(); // what waits for company runs now
    return idle;
  }

  private schedule(): void {
    if (this.running || this.queue.length === 0) return;
    const waited = performance.now() - this.queue[0]!.arrived;
    if (this.queuedRows >= this.maxBatchRows || waited >= this.maxWaitMs || this.closed) {
      if (this.timer !== undefined) clearTimeout(this.timer);
      this.timer = undefined;
      void this.runBatch();
    } else if (this.timer === undefined) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.schedule();
      }, this.maxWaitMs - waited);
    }
  }

  private async runBatch(): Promise<void> {
    this.running = true;
    const batch: Pending[] = [this.queue.shift()!];
    let rows = batch[0]!.table.rows;
    while (this.queue.length > 0 && rows + this.queue[0]!.table.rows <= this.maxBatchRows) {
      const next = this.queue.shift()!;
      rows += next.table.rows;
      batch.push(next);
    }
    this.queuedRows -= rows;
    const started = performance.now();
    let failed = false;
    try {
      const result = await this.predict(concatTables(batch.map((p) => p.table)));
      let at = 0;
      for (const p of batch) {
        const own: Record<string, Float32Array> = {};
        for (const [task, values] of Object.entries(result)) own[task] = values.subarray(at, at + p.table.rows);
        at += p.table.rows;
        p.resolve(own);
      }
    } catch (error) {
      failed = true;
      for (const p of batch) p.reject(error);
    } finally {
      this.running = false;
      try {
        this.onBatch({ rows, requests: batch.length, seconds: (performance.now() - started) / 1000, failed });
      } catch {
        // A failing observer must not stall the queue.
      }
    }
    if (this.queue.length > 0) this.schedule();
    else if (this.closed) for (const done of this.idleWaiters.splice(0)) done();
  }
}
