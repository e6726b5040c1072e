import { describe, expect, it } from 'vitest';
import { syntheticBatches, uniformGenerator } from './synthetic-batches.js';

describe('syntheticBatches', () => {
  const options = { count: 2, rows: 4000, fields: 6, vocabularySize: 100, tasks: ['a', 'b', 'c'] };

  it('gives tables of the requested shape with one 0/1 label column per task', () => {
    const batches = syntheticBatches(options);
    expect(batches).toHaveLength(2);
    for (const t of batches) {
      expect(t.rows).toBe(4000);
      expect(t.categoricalCount).toBe(6);
      expect(t.categorical).toHaveLength(4000 * 6);
      expect(t.numericCount).toBe(0);
      expect(Object.keys(t.labels)).toEqual(['a', 'b', 'c']);
      for (const column of Object.values(t.labels)) {
        expect(column).toHaveLength(4000);
        expect(column.every((v) => v === 0 || v === 1)).toBe(true);
        const positives = column.reduce((s, v) => s + v, 0);
        expect(positives).toBeGreaterThan(0); // neither constant 0 nor constant 1
        expect(positives).toBeLessThan(4000);
      }
    }
  });

  it('draws ids as floor(u² · V): half of them fall in the first quarter of the vocabulary', () => {
    const [t] = syntheticBatches(options);
    expect(Math.min(...t!.categorical)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...t!.categorical)).toBeLessThan(100);
    const low = t!.categorical.filter((id) => id < 25).length / t!.categorical.length;
    expect(low).toBeGreaterThan(0.47);
    expect(low).toBeLessThan(0.53);
  });

  it('is reproducible from its seed', () => {
    const a = syntheticBatches({ ...options, seed: 3 });
    const b = syntheticBatches({ ...options, seed: 3 });
    const c = syntheticBatches({ ...options, seed: 4 });
    expect(b[1]!.categorical).toEqual(a[1]!.categorical);
    expect(b[1]!.labels.c).toEqual(a[1]!.labels.c);
    expect(c[1]!.categorical).not.toEqual(a[1]!.categorical);
  });

  it('rejects sizes that are not positive integers, naming the option', () => {
    expect(() => syntheticBatches({ ...options, rows: 0 })).toThrow('syntheticBatches: rows 0 must be an integer >= 1');
    expect(() => syntheticBatches({ ...options, vocabularySize: 2.5 })).toThrow('vocabularySize 2.5');
  });

  it('has a uniform generator in [0, 1)', () => {
    const u = uniformGenerator(1);
    const xs = Array.from({ length: 10_000 }, u);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(xs.reduce((s, x) => s + x, 0) / xs.length).toBeCloseTo(0.5, 1);
  });
});
