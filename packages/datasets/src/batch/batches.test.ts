import { describe, expect, it } from 'vitest';
import { iterateBatches, taskMask } from '../index.js';
import type { EncodedTable, TaskSpec } from '@ektm/core';

const table: EncodedTable = {
  rows: 5,
  categorical: Int32Array.from([1, 2, 3, 4, 5]),
  categoricalCount: 1,
  numeric: Float32Array.from([0.1, 0.2, 0.3, 0.4, 0.5]),
  numericCount: 1,
  labels: {
    click: Float32Array.from([1, 0, 1, 1, NaN]),
    cvr: Float32Array.from([1, 0, 0, NaN, 1]),
    ctcvr: Float32Array.from([1, 0, 0, NaN, NaN]),
  },
};
const tasks: TaskSpec[] = [{ name: 'click' }, { name: 'cvr', parent: 'click' }, { name: 'ctcvr', product: ['click', 'cvr'] }];

describe('batches', () => {
  it('masks each task to its sample space: present labels, parents equal to 1', () => {
    expect(Array.from(taskMask(table, tasks, 'click'))).toEqual([1, 1, 1, 1, 0]);
    expect(Array.from(taskMask(table, tasks, 'cvr'))).toEqual([1, 0, 1, 0, 0]);
    expect(Array.from(taskMask(table, tasks, 'ctcvr'))).toEqual([1, 1, 1, 0, 0]);
    expect(() => taskMask(table, tasks, 'nope')).toThrow(/unknown task "nope"/);
  });

  it('cuts int32 and float32 batches with labels (missing = 0, masked) and masks, shuffled by seed', () => {
    const batches = [...iterateBatches(table, tasks, { batchSize: 2 })];
    expect(batches.map((b) => b.rows)).toEqual([2, 2, 1]);
    expect(batches[0]!.categorical).toBeInstanceOf(Int32Array);
    expect(batches[0]!.numeric).toBeInstanceOf(Float32Array);
    expect(Array.from(batches[1]!.labels.cvr!)).toEqual([0, 0]);
    expect(Array.from(batches[1]!.masks.cvr!)).toEqual([1, 0]);
    const shuffled = [...iterateBatches(table, tasks, { batchSize: 5, shuffleSeed: 4 })][0]!;
    expect(Array.from(shuffled.categorical).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(Array.from([...iterateBatches(table, tasks, { batchSize: 5, shuffleSeed: 4 })][0]!.categorical)).toEqual(
      Array.from(shuffled.categorical),
    );
    const row = Array.from(shuffled.categorical).indexOf(4);
    expect(shuffled.numeric[row]).toBeCloseTo(0.4);
    expect(shuffled.masks.cvr![row]).toBe(0);
  });
});
