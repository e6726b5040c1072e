import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rankScores, weightedTwiceU } from './weighted-auc.js';
import { bruteForceAuc } from '../test/brute-force.js';

describe('weightedTwiceU', () => {
  it('equals the pair count of the rows repeated by their weights', () => {
    const row = fc.record({ score: fc.integer({ min: 0, max: 6 }), weight: fc.integer({ min: 0, max: 3 }) });
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 25 }), fc.array(row, { minLength: 1, maxLength: 25 }), (pos, neg) => {
        fc.pre(pos.some((r) => r.weight > 0) && neg.some((r) => r.weight > 0));
        const ranked = rankScores(
          Float64Array.from(pos, (r) => r.score),
          Float64Array.from(neg, (r) => r.score),
        );
        const twiceU = weightedTwiceU(
          ranked,
          [...pos, ...neg].map((r) => r.weight),
        );
        const wp = pos.reduce((s, r) => s + r.weight, 0);
        const wn = neg.reduce((s, r) => s + r.weight, 0);
        const expanded = [...pos, ...neg].flatMap((r) => Array<number>(r.weight).fill(r.score));
        const labels = expanded.map((_, i) => (i < wp ? 1 : 0));
        expect(twiceU / (2 * wp * wn)).toBeCloseTo(bruteForceAuc(labels, expanded), 14);
      }),
    );
  });

  it('marks where tie groups end, in score order', () => {
    const ranked = rankScores(Float64Array.of(0.5, 0.2, 0.5), Float64Array.of(0.2, -1));
    expect(ranked.positives).toBe(3);
    expect(Array.from(ranked.order)).toEqual([4, 1, 3, 0, 2]);
    expect(Array.from(ranked.groupEnd)).toEqual([1, 0, 1, 0, 1]);
  });
});
