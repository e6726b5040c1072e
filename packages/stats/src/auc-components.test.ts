import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aucComponents } from './auc-components.js';
import { midranks } from './midranks.js';
import { bruteForceAuc, bruteForceComponents } from '../test/brute-force.js';

const split = (labels: number[], scores: number[]) => ({
  pos: Float64Array.from(scores.filter((_, i) => labels[i] === 1)),
  neg: Float64Array.from(scores.filter((_, i) => labels[i] === 0)),
});

const rows = fc
  .array(fc.record({ label: fc.constantFrom(0, 1), score: fc.integer({ min: -4, max: 4 }) }), { minLength: 2, maxLength: 80 })
  .filter((r) => r.some((x) => x.label === 1) && r.some((x) => x.label === 0));

describe('aucComponents', () => {
  it('AUC equals the brute-force pair count with ties as 1/2, and equals mean V10 and mean V01', () => {
    fc.assert(
      fc.property(rows, (r) => {
        const labels = r.map((x) => x.label);
        const scores = r.map((x) => x.score / 4);
        const { pos, neg } = split(labels, scores);
        const c = aucComponents(pos, neg);
        expect(c.auc).toBeCloseTo(bruteForceAuc(labels, scores), 14);
        expect(c.v10.reduce((s, v) => s + v, 0) / c.v10.length).toBeCloseTo(c.auc, 12);
        expect(c.v01.reduce((s, v) => s + v, 0) / c.v01.length).toBeCloseTo(c.auc, 12);
        expect(Number.isInteger(c.twiceU)).toBe(true);
      }),
    );
  });

  it('components equal the pair counts and Sun & Xu’s midrank formulas', () => {
    fc.assert(
      fc.property(rows, (r) => {
        const labels = r.map((x) => x.label);
        const scores = r.map((x) => x.score);
        const { pos, neg } = split(labels, scores);
        const c = aucComponents(pos, neg);
        const brute = bruteForceComponents(labels, scores);
        c.v10.forEach((v, i) => expect(v).toBeCloseTo(brute.v10[i]!, 14));
        c.v01.forEach((v, j) => expect(v).toBeCloseTo(brute.v01[j]!, 14));
        // Sun & Xu (2014): V10 = (T_Z − T_X) / n, V01 = 1 − (T_Z − T_Y) / m, with T_Z the midranks of all rows.
        const m = pos.length;
        const n = neg.length;
        const tz = midranks([...pos, ...neg]);
        const tx = midranks(pos);
        const ty = midranks(neg);
        c.v10.forEach((v, i) => expect(v).toBeCloseTo((tz[i]! - tx[i]!) / n, 14));
        c.v01.forEach((v, j) => expect(v).toBeCloseTo(1 - (tz[m + j]! - ty[j]!) / m, 14));
      }),
    );
  });

  it('is invariant to strictly increasing transforms', () => {
    fc.assert(
      fc.property(rows, (r) => {
        const labels = r.map((x) => x.label);
        const scores = r.map((x) => x.score);
        const { pos, neg } = split(labels, scores);
        const t = (x: number) => Math.atan(x * 3) + x ** 3;
        const moved = aucComponents(pos.map(t), neg.map(t));
        const base = aucComponents(pos, neg);
        expect(moved.twiceU).toBe(base.twiceU);
        expect(Array.from(moved.v10)).toEqual(Array.from(base.v10));
        expect(Array.from(moved.v01)).toEqual(Array.from(base.v01));
      }),
    );
  });

  it('treats −0 and +0 as a tie and orders ±Infinity', () => {
    expect(aucComponents(Float64Array.of(-0), Float64Array.of(0)).auc).toBe(0.5);
    expect(aucComponents(Float64Array.of(Infinity, 0), Float64Array.of(-Infinity, 1)).auc).toBe(0.75);
  });

  it('is exact on many rows (integer Mann–Whitney count)', () => {
    const m = 80_000;
    const n = 120_000;
    const pos = new Float64Array(m);
    const neg = new Float64Array(n);
    for (let i = 0; i < m; i++) pos[i] = i % 1000;
    for (let j = 0; j < n; j++) neg[j] = (j * 7) % 999;
    // Positives spread over 0..999 (80 each), negatives over 0..998: count exactly by value.
    const negCount = new Float64Array(1000);
    for (let j = 0; j < n; j++) negCount[neg[j]!]!++;
    let twiceU = 0;
    let below = 0;
    for (let v = 0; v < 1000; v++) {
      twiceU += 80 * (2 * below + negCount[v]!);
      below += negCount[v]!;
    }
    const c = aucComponents(pos, neg);
    expect(c.twiceU).toBe(twiceU);
    expect(c.auc).toBe(twiceU / (2 * m * n));
  });
});
