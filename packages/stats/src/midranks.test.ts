import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { midranks } from './midranks.js';

describe('midranks', () => {
  it('gives tied values the mean of the ranks they span', () => {
    expect(Array.from(midranks([0.3, 0.1, 0.3]))).toEqual([2.5, 1, 2.5]);
    expect(Array.from(midranks([5, 5, 5, 5]))).toEqual([2.5, 2.5, 2.5, 2.5]);
    expect(Array.from(midranks([-Infinity, 2, Infinity, Infinity, 0]))).toEqual([1, 3, 4.5, 4.5, 2]);
    expect(Array.from(midranks([]))).toEqual([]);
  });

  it('matches counting: rank = 1 + #below + (#tied − 1) / 2, and the ranks sum to n(n + 1)/2', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -5, max: 5 }), { maxLength: 50 }), (values) => {
        const ranks = midranks(values);
        values.forEach((v, i) => {
          const below = values.filter((w) => w < v).length;
          const tied = values.filter((w) => w === v).length;
          expect(ranks[i]).toBe(1 + below + (tied - 1) / 2);
        });
        expect(ranks.reduce((s, r) => s + r, 0)).toBe((values.length * (values.length + 1)) / 2);
      }),
    );
  });

  it('rejects NaN', () => {
    expect(() => midranks([1, NaN])).toThrow('midranks: values[1] is NaN');
  });
});
