import { describe, expect, it } from 'vitest';
import { combineSeeds } from './combine-seeds.js';

describe('combineSeeds', () => {
  it('with 3 or more seeds: a t-interval over the deltas, as R’s t.test', () => {
    // R 4.2.2: t.test(c(0.010, 0.020, 0.006)): t = 2.882306768491568, p = 0.10224159750313042,
    // 95% CI -0.0059133717900591984 .. 0.0299133717900591997, stderr 0.004163331998932266.
    const r = combineSeeds([
      { delta: 0.01, se: 0.003 },
      { delta: 0.02, se: 0.004 },
      { delta: 0.006, se: 0.003 },
    ]);
    expect(r).toMatchObject({ rule: 't-over-seeds', df: 2, seeds: 3 });
    expect(r.delta).toBeCloseTo(0.012, 15);
    expect(r.se).toBeCloseTo(0.004163331998932266, 15);
    expect(r.statistic).toBeCloseTo(2.882306768491568, 12);
    expect(r.p).toBeCloseTo(0.10224159750313042, 12);
    expect(r.ci.lower).toBeCloseTo(-0.0059133717900591984, 12);
    expect(r.ci.upper).toBeCloseTo(0.0299133717900591997, 12);
    expect(r.method).toMatch(/t-interval over 3 per-seed deltas \(df = 2\)/);
    // t.test(c(0.010, 0.020, 0.006, -0.004, 0.012), conf.level = 0.9): t = 2.2395410336608652,
    // p = 0.088667063466880872, CI 0.00042317124906254984 .. 0.01717682875093745273.
    const five = combineSeeds(
      [0.01, 0.02, 0.006, -0.004, 0.012].map((delta) => ({ delta, se: 0.01 })),
      { level: 0.9 },
    );
    expect(five.p).toBeCloseTo(0.088667063466880872, 12);
    expect(five.ci.lower).toBeCloseTo(0.00042317124906254984, 12);
    expect(five.ci.upper).toBeCloseTo(0.01717682875093745273, 12);
  });

  it('with fewer seeds: the mean of the DeLong deltas with the SE of the mean under independence', () => {
    const r = combineSeeds([
      { delta: 0.01, se: 0.003 },
      { delta: 0.02, se: 0.004 },
    ]);
    expect(r).toMatchObject({ rule: 'mean-of-delong', df: Infinity, seeds: 2 });
    expect(r.delta).toBeCloseTo(0.015, 15);
    expect(r.se).toBeCloseTo(0.0025, 15); // √(0.003² + 0.004²) / 2
    expect(r.statistic).toBeCloseTo(6, 12);
    expect(r.ci.lower).toBeCloseTo(0.015 - 1.9599639845400536 * 0.0025, 14);
    expect(r.method).toMatch(/assuming independent seeds/);
    const one = combineSeeds([{ delta: -0.004, se: 0.002 }]);
    expect(one).toMatchObject({ delta: -0.004, se: 0.002, rule: 'mean-of-delong', seeds: 1 });
    expect(one.p).toBeCloseTo(0.04550026389635842, 14); // 2 * pnorm(-2)
    expect(one.method).toMatch(/single seed/);
  });

  it('minSeedsForT moves the switch; identical deltas give p 0 or 1', () => {
    const four = [0.01, 0.02, 0.006, 0.01].map((delta) => ({ delta, se: 0.002 }));
    expect(combineSeeds(four, { minSeedsForT: 5 }).rule).toBe('mean-of-delong');
    expect(combineSeeds(four).rule).toBe('t-over-seeds');
    expect(combineSeeds([0, 0, 0].map((delta) => ({ delta, se: 0.01 })))).toMatchObject({ se: 0, statistic: 0, p: 1 });
    expect(combineSeeds([0.01, 0.01, 0.01].map((delta) => ({ delta, se: 0.01 })))).toMatchObject({ se: 0, statistic: Infinity, p: 0 });
  });

  it('rejects no seeds, bad entries and a bad switch', () => {
    expect(() => combineSeeds([])).toThrow('no seeds given');
    expect(() => combineSeeds([{ delta: NaN, se: 0.1 }])).toThrow('perSeed[0].delta is NaN');
    expect(() => combineSeeds([{ delta: 0.1, se: -1 }])).toThrow('perSeed[0].se is -1');
    expect(() => combineSeeds([{ delta: 0.1, se: 0.1 }], { minSeedsForT: 2 })).toThrow('minSeedsForT is 2');
  });
});
