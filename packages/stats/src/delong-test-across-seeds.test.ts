import { describe, expect, it } from 'vitest';
import { delongTestAcrossSeeds } from './delong-test-across-seeds.js';
import { delongTest } from './delong-test.js';
import { criticalValue } from './distributions.js';
import { minstdPanel } from '../test/minstd-panel.js';
import { bruteForceComponents, variance } from '../test/brute-force.js';

/** Three "seeds" of each model: the panel's scores with seed-dependent noise (deterministic). */
function seeds(scores: number[], k: number, salt: number): number[][] {
  return Array.from({ length: k }, (_, s) => scores.map((x, i) => x + (((i * 7919 + s * 104729 + salt) % 13) - 6) / 4));
}

describe('delongTestAcrossSeeds', () => {
  const p = minstdPanel(400, 4242, 0.35);

  it('with one seed is exactly delongTest', () => {
    const across = delongTestAcrossSeeds(p.labels, [p.a], [p.b]);
    const single = delongTest(p.labels, p.a, p.b);
    expect(across.deltaAuc).toBe(single.deltaAuc);
    expect(across.se).toBe(single.se);
    expect(across.p).toBe(single.p);
    expect(across.ci).toEqual(single.ci);
    expect(across).toMatchObject({ seBetweenSeeds: 0, df: Infinity, seeds: 1 });
    expect(across.method).toMatch(/single seed/);
  });

  it('adds DeLong’s variance of the seed-averaged components to the between-seed variance s²/k', () => {
    const k = 3;
    const a = seeds(p.a, k, 1);
    const b = seeds(p.b, k, 2);
    const r = delongTestAcrossSeeds(p.labels, a, b);
    // By hand, from pair-counted components: average the per-row differences over the seeds.
    const comps = (s: number[]) => bruteForceComponents(p.labels, s);
    const ca = a.map(comps);
    const cb = b.map(comps);
    const m = ca[0]!.v10.length;
    const n = ca[0]!.v01.length;
    const d10 = Array.from({ length: m }, (_, i) => ca.reduce((s, c, j) => s + c.v10[i]! - cb[j]!.v10[i]!, 0) / k);
    const d01 = Array.from({ length: n }, (_, i) => ca.reduce((s, c, j) => s + c.v01[i]! - cb[j]!.v01[i]!, 0) / k);
    const testVariance = variance(d10) / m + variance(d01) / n;
    const perSeed = a.map((s, j) => delongTest(p.labels, s, b[j]!).deltaAuc);
    const between = variance(perSeed) / k;
    expect(r.deltaAuc).toBeCloseTo(perSeed.reduce((s, d) => s + d, 0) / k, 15);
    expect(r.seTestSet).toBeCloseTo(Math.sqrt(testVariance), 13);
    expect(r.seBetweenSeeds).toBeCloseTo(Math.sqrt(between), 14);
    expect(r.se).toBeCloseTo(Math.sqrt(testVariance + between), 13);
    const df = ((testVariance + between) ** 2 / between ** 2) * (k - 1);
    expect(r.df).toBeCloseTo(df, 8);
    expect(r.ci.upper - r.deltaAuc).toBeCloseTo(criticalValue(0.95, df) * r.se, 12);
    expect(r.perSeed.map((s) => s.deltaAuc)).toEqual(perSeed);
    // Averaging seeds that share the test set does not shrink the test-set part like 1/k: it stays near one seed's SE.
    expect(r.seTestSet).toBeGreaterThan(0.5 * r.perSeed[0]!.se);
    expect(r.method).toMatch(/3 seeds on one test set/);
  });

  it('rejects unpaired seeds and no seeds', () => {
    expect(() => delongTestAcrossSeeds(p.labels, [p.a, p.a], [p.b])).toThrow('2 seeds of model A but 1 of model B');
    expect(() => delongTestAcrossSeeds(p.labels, [], [])).toThrow('scoresA is empty');
    expect(() => delongTestAcrossSeeds(p.labels, [p.a], [[1, 2]])).toThrow('scoresB[0] has 2 entries');
  });
});
