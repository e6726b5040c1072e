import type { EncodedTable } from '@ektm/core';
import { describe, expect, it } from 'vitest';
import { BatcherClosedError, type BatchReport, MicroBatcher } from '../src/index.js';

/** A table of `rows` rows whose single categorical column holds `first, first + 1, ...`. */
function table(first: number, rows: number): EncodedTable {
  return {
    rows,
    categorical: Int32Array.from({ length: rows }, (_, i) => first + i),
    categoricalCount: 1,
    numeric: new Float32Array(0),
    numericCount: 0,
    labels: {},
  };
}

/** An engine that doubles the id, records the rows of every call, and takes `ms` per call. */
function engine(ms = 0) {
  const calls: number[][] = [];
  const predict = async (t: EncodedTable) => {
    calls.push(Array.from(t.categorical));
    if (ms > 0) await new Promise((r) => setTimeout(r, ms));
    return { y: Float32Array.from(t.categorical, (v) => v * 2) };
  };
  return { calls, predict };
}

describe('MicroBatcher', () => {
  it('merges requests submitted together into one engine call and gives each its own rows', async () => {
    const { calls, predict } = engine();
    const reports: BatchReport[] = [];
    const batcher = new MicroBatcher(predict, { maxBatchRows: 100, maxWaitMs: 5 }, (r) => reports.push(r));
    const results = await Promise.all([batcher.submit(table(0, 2)), batcher.submit(table(10, 1)), batcher.submit(table(20, 3))]);
    expect(calls).toEqual([[0, 1, 10, 20, 21, 22]]);
    expect(results.map((r) => Array.from(r.y!))).toEqual([[0, 2], [20], [40, 42, 44]]);
    expect(reports).toMatchObject([{ rows: 6, requests: 3, failed: false }]);
  });

  it('starts a batch as soon as it holds maxBatchRows rows, and never puts more rows in one call', async () => {
    const { calls, predict } = engine();
    const batcher = new MicroBatcher(predict, { maxBatchRows: 4, maxWaitMs: 60_000 });
    const started = performance.now();
    await Promise.all([0, 10, 20, 30, 40, 50, 60, 70].map((first) => batcher.submit(table(first, 1))));
    expect(performance.now() - started).toBeLessThan(5_000); // did not wait for maxWaitMs
    expect(calls).toEqual([
      [0, 10, 20, 30],
      [40, 50, 60, 70],
    ]);
  });

  it('runs one batch at a time; what arrives meanwhile forms the next batch; a request larger than maxBatchRows runs alone', async () => {
    const { calls, predict } = engine(30);
    const batcher = new MicroBatcher(predict, { maxBatchRows: 3, maxWaitMs: 0 });
    const first = batcher.submit(table(0, 1));
    await new Promise((r) => setTimeout(r, 5)); // the first batch is running
    const later = [batcher.submit(table(10, 1)), batcher.submit(table(20, 1)), batcher.submit(table(30, 5)), batcher.submit(table(40, 1))];
    await Promise.all([first, ...later]);
    expect(calls).toEqual([[0], [10, 20], [30, 31, 32, 33, 34], [40]]);
  });

  it('waits up to maxWaitMs for company, not longer', async () => {
    const { calls, predict } = engine();
    const batcher = new MicroBatcher(predict, { maxBatchRows: 100, maxWaitMs: 40 });
    const started = performance.now();
    const a = batcher.submit(table(0, 1));
    await new Promise((r) => setTimeout(r, 10));
    const b = batcher.submit(table(1, 1));
    await Promise.all([a, b]);
    const waited = performance.now() - started;
    expect(calls).toEqual([[0, 1]]);
    expect(waited).toBeGreaterThanOrEqual(35);
    expect(waited).toBeLessThan(2_000);
  });

  it('fails every request of a failed batch with the engine error, and keeps serving', async () => {
    let fail = true;
    const batcher = new MicroBatcher(async (t) => {
      if (fail) throw new Error('engine broke');
      return { y: Float32Array.from(t.categorical) };
    });
    const results = await Promise.allSettled([batcher.submit(table(0, 1)), batcher.submit(table(1, 1))]);
    expect(results.map((r) => (r.status === 'rejected' ? (r.reason as Error).message : 'ok'))).toEqual(['engine broke', 'engine broke']);
    fail = false;
    expect(Array.from((await batcher.submit(table(5, 1))).y!)).toEqual([5]);
  });

  it('close() answers what was accepted (without waiting for company) and refuses what comes after', async () => {
    const { calls, predict } = engine(10);
    const batcher = new MicroBatcher(predict, { maxBatchRows: 100, maxWaitMs: 60_000 });
    const pending = [batcher.submit(table(0, 1)), batcher.submit(table(1, 1))];
    const started = performance.now();
    await batcher.close();
    expect(performance.now() - started).toBeLessThan(5_000);
    expect((await Promise.all(pending)).map((r) => Array.from(r.y!))).toEqual([[0], [2]]);
    expect(calls).toEqual([[0, 1]]);
    await expect(batcher.submit(table(9, 1))).rejects.toBeInstanceOf(BatcherClosedError);
    await batcher.close(); // idempotent
  });

  it('refuses bad settings with the key', () => {
    const { predict } = engine();
    expect(() => new MicroBatcher(predict, { maxBatchRows: 0 })).toThrow('maxBatchRows is 0; it must be an integer >= 1');
    expect(() => new MicroBatcher(predict, { maxWaitMs: -1 })).toThrow('maxWaitMs is -1; it must be a number >= 0');
  });
});
