import { describe, expect, it } from 'vitest';
import { percentileInterval } from './percentile-interval.js';

describe('percentileInterval', () => {
  it('matches R’s quantile(type = 7)', () => {
    // R 4.2.2: quantile(c(5, 1, 4, 2, 3, 10, 7), c(0.025, 0.975), type = 7) = 1.15, 9.55
    const ci = percentileInterval([5, 1, 4, 2, 3, 10, 7]);
    expect(ci.lower).toBeCloseTo(1.15, 14);
    expect(ci.upper).toBeCloseTo(9.55, 14);
    expect(ci.level).toBe(0.95);
    expect(percentileInterval([3])).toEqual({ lower: 3, upper: 3, level: 0.95 });
    expect(percentileInterval([-Infinity, 0, 1, Infinity], 0.5)).toEqual({ lower: -Infinity, upper: Infinity, level: 0.5 });
  });

  it('rejects NaN, no replicates and a bad level', () => {
    expect(() => percentileInterval([1, NaN])).toThrow('replicates[1] is NaN');
    expect(() => percentileInterval([])).toThrow('no replicates');
    expect(() => percentileInterval([1], 1)).toThrow('level is 1');
  });
});
