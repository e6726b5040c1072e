import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { auc } from './auc.js';

/** O(n²) reference: fraction of (positive, negative) pairs ranked right, ties counting one half. */
function pairwiseAuc(scores: number[], labels: number[]): number | undefined {
  let wins = 0;
  let pairs = 0;
  for (let i = 0; i < scores.length; i++) {
    if (labels[i] !== 1) continue;
    for (let j = 0; j < scores.length; j++) {
      if (labels[j] !== 0) continue;
      pairs++;
      if (scores[i]! > scores[j]!) wins += 1;
      else if (scores[i] === scores[j]) wins += 0.5;
    }
  }
  return pairs === 0 ? undefined : wins / pairs;
}

/** Mid-rank reference: (Σ average ranks of positives − P(P+1)/2) / (P·N). */
function midRankAuc(scores: number[], labels: number[]): number | undefined {
  const order = scores.map((_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  const rank = new Array<number>(scores.length);
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && scores[order[j + 1]!] === scores[order[i]!]) j++;
    for (let k = i; k <= j; k++) rank[order[k]!] = (i + j) / 2 + 1;
    i = j + 1;
  }
  const P = labels.filter((y) => y === 1).length;
  const N = labels.length - P;
  if (P === 0 || N === 0) return undefined;
  let sum = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] === 1) sum += rank[i]!;
  return (sum - (P * (P + 1)) / 2) / (P * N);
}

describe('auc', () => {
  it('no ties: 3 of 4 pairs ranked right', () => {
    expect(auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
  });

  it('a tie between a positive and a negative counts one half', () => {
    // positive 0.5: tie with negative 0.5 (0.5) + beats 0.2 (1); positive 0.8 beats both (2) → 3.5 / 4
    expect(auc([0.5, 0.5, 0.2, 0.8], [1, 0, 0, 1])).toBe(0.875);
  });

  it('all-equal scores give 0.5', () => {
    expect(auc([0.3, 0.3, 0.3, 0.3, 0.3], [1, 0, 1, 0, 0])).toBe(0.5);
  });

  it('perfect separation gives 1, reversed gives 0', () => {
    expect(auc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1])).toBe(1);
    expect(auc([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1])).toBe(0);
  });

  it('is undefined, not NaN, with a single class or no rows', () => {
    expect(auc([0.1, 0.7], [1, 1])).toBeUndefined();
    expect(auc([0.1, 0.7], [0, 0])).toBeUndefined();
    expect(auc([], [])).toBeUndefined();
  });

  it('accepts typed arrays and infinite scores', () => {
    expect(auc(new Float32Array([0.1, 0.4, 0.35, 0.8]), new Float32Array([0, 0, 1, 1]))).toBe(0.75);
    expect(auc([-Infinity, Infinity], [0, 1])).toBe(1);
  });

  it('throws on bad input instead of returning NaN', () => {
    expect(() => auc([0.1, 0.2], [0, 2])).toThrow(/labels\[1\] is 2/);
    expect(() => auc([0.1, 0.2], [0, NaN])).toThrow(/mask missing labels/);
    expect(() => auc([0.1, NaN], [0, 1])).toThrow(/scores\[1\] is NaN/);
    expect(() => auc([0.1], [0, 1])).toThrow(/1 scores but 2 labels/);
  });

  it('matches the O(n²) pairwise and mid-rank references on random data with ties', () => {
    const row = fc.record({ score: fc.integer({ min: 0, max: 12 }).map((k) => k / 12), label: fc.constantFrom(0, 1) });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 80 }), (rows) => {
        const s = rows.map((r) => r.score);
        const y = rows.map((r) => r.label);
        const expected = pairwiseAuc(s, y);
        const got = auc(s, y);
        if (expected === undefined) return got === undefined && midRankAuc(s, y) === undefined;
        return Math.abs(got! - expected) < 1e-12 && Math.abs(midRankAuc(s, y)! - expected) < 1e-12;
      }),
      { numRuns: 500 },
    );
  });

  it('matches the pairwise reference on arbitrary doubles', () => {
    const row = fc.record({ score: fc.double({ noNaN: true }), label: fc.constantFrom(0, 1) });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 60 }), (rows) => {
        const s = rows.map((r) => r.score);
        const y = rows.map((r) => r.label);
        const expected = pairwiseAuc(s, y);
        const got = auc(s, y);
        return expected === undefined ? got === undefined : Math.abs(got! - expected) < 1e-12;
      }),
      { numRuns: 300 },
    );
  });

  it('is invariant to exact monotone rescaling and flips under negation', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ s: fc.double({ min: -5, max: 5, noNaN: true }), y: fc.constantFrom(0, 1) }), { minLength: 2, maxLength: 50 }),
        (rows) => {
          const s = rows.map((r) => r.s);
          const y = rows.map((r) => r.y);
          const a = auc(s, y);
          if (a === undefined) return true;
          // (×4 is exact in floating point; a sigmoid would merge nearby scores into ties)
          const sig = auc(
            s.map((v) => v * 4),
            y,
          )!;
          const neg = auc(
            s.map((v) => -v),
            y,
          )!;
          return Math.abs(sig - a) < 1e-12 && Math.abs(neg - (1 - a)) < 1e-12;
        },
      ),
    );
  });

  it('handles a million rows quickly', () => {
    const n = 1_000_000;
    const scores = new Float32Array(n);
    const labels = new Float32Array(n);
    let seed = 12345;
    const rand = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    for (let i = 0; i < n; i++) {
      labels[i] = rand() < 0.3 ? 1 : 0;
      scores[i] = Math.round((labels[i]! * 0.5 + rand()) * 1000) / 1000; // many ties
    }
    const t0 = performance.now();
    const a = auc(scores, labels)!;
    const ms = performance.now() - t0;
    // score = 0.5·y + U(0,1): P(pos > neg) = 1 − 0.5²/2 = 0.875
    expect(a).toBeCloseTo(0.875, 2);
    expect(ms).toBeLessThan(5000);
  });
});
