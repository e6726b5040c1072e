import { ConfigError, type EncodedTable } from '@ektm/core';
import { describe, expect, it } from 'vitest';
import { subsetOrder, trainSubset } from './train-subset.js';

/** A table whose numeric column is the row index, so a subset shows which rows it took. */
function indexed(rows: number): EncodedTable {
  return {
    rows,
    categorical: Int32Array.from({ length: rows }, (_, i) => i % 7),
    categoricalCount: 1,
    numeric: Float32Array.from({ length: rows }, (_, i) => i),
    numericCount: 1,
    labels: { click: Float32Array.from({ length: rows }, (_, i) => (i % 3 === 0 ? 1 : 0)) },
  };
}

describe('trainSubset', () => {
  it('takes prefixes of one seeded shuffle: a smaller size is a subset of every larger one', () => {
    const table = indexed(1000);
    const small = Array.from(trainSubset(table, 100).numeric);
    const large = Array.from(trainSubset(table, 400).numeric);
    expect(large.slice(0, 100)).toEqual(small);
    expect(new Set(large).size).toBe(400);
    // Shuffled, not the first rows of the split, and the same on every call.
    expect(small).not.toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(Array.from(trainSubset(table, 100).numeric)).toEqual(small);
    // Labels and categorical columns follow their rows.
    const subset = trainSubset(table, 50);
    subset.numeric.forEach((row, i) => {
      expect(subset.labels.click![i]).toBe(row % 3 === 0 ? 1 : 0);
      expect(subset.categorical[i]).toBe(row % 7);
    });
    expect(Array.from(subsetOrder(5)).sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it('keeps the rows it has always taken (the permutation of TRAIN_SUBSET_SEED is pinned, so curves stay comparable)', () => {
    expect(Array.from(subsetOrder(1000).subarray(0, 12))).toEqual([632, 468, 654, 296, 254, 109, 799, 56, 888, 730, 245, 337]);
    expect(Array.from(subsetOrder(10))).toEqual([7, 4, 8, 9, 6, 2, 1, 5, 0, 3]);
    expect(Array.from(trainSubset(indexed(1000), 5).numeric)).toEqual([632, 468, 654, 296, 254]);
  });

  it('rejects a size above the split, naming the flag', () => {
    const error = (() => {
      try {
        trainSubset(indexed(10), 11);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).key).toBe('train-rows');
    expect((error as ConfigError).message).toContain('11 rows asked for, but the training split has only 10');
  });
});
