import { describe, expect, it } from 'vitest';
import { hanleyMcNeilSe } from './hanley-mcneil.js';
import { minimumDetectableDelta, pairedDifferenceSe, positivesNeeded } from './power.js';
import { delongAuc } from './delong-auc.js';

describe('hanleyMcNeilSe', () => {
  it('matches the formula of Hanley & McNeil (1982, eq. 2)', () => {
    // Computed independently in Python from the published formula.
    expect(hanleyMcNeilSe(0.8, 50, 50)).toBeCloseTo(0.04450218471540969, 15);
    expect(hanleyMcNeilSe(0.75, 1000, 9000)).toBeCloseTo(0.009194103959551886, 15);
    expect(hanleyMcNeilSe(0.9, 30, 200)).toBeCloseTo(0.03832091886902646, 15);
    expect(hanleyMcNeilSe(0.5, 10, 10)).toBeCloseTo(0.1322875655532295, 15);
    expect(hanleyMcNeilSe(1, 10, 10)).toBe(0);
  });

  it('is what DeLong’s SE averages to when both classes are exponential (where Q1, Q2 are exact)', () => {
    // Negatives ~ Exp(1), positives ~ Exp(λ) with mean 1/λ; AUC = P(pos > neg) = 1 / (1 + λ). λ = 1/3 gives 0.75.
    let state = 777;
    const u = () => {
      state = (48271 * state) % 2147483647;
      return state / 2147483647;
    };
    const m = 300;
    const n = 600;
    const labels = [...Array<number>(m).fill(1), ...Array<number>(n).fill(0)];
    let sumVar = 0;
    const reps = 60;
    for (let r = 0; r < reps; r++) {
      const scores = labels.map((l) => -Math.log(u()) * (l === 1 ? 3 : 1));
      sumVar += delongAuc(labels, scores).se ** 2;
    }
    const hm = hanleyMcNeilSe(0.75, m, n);
    expect(Math.sqrt(sumVar / reps) / hm).toBeGreaterThan(0.95);
    expect(Math.sqrt(sumVar / reps) / hm).toBeLessThan(1.05);
  });

  it('rejects an AUC outside [0, 1] and empty classes', () => {
    expect(() => hanleyMcNeilSe(1.2, 10, 10)).toThrow('auc is 1.2');
    expect(() => hanleyMcNeilSe(0.7, 0, 10)).toThrow('positives is 0');
    expect(() => hanleyMcNeilSe(0.7, 10, NaN)).toThrow('negatives is NaN');
  });
});

describe('power and sample size', () => {
  it('pairedDifferenceSe: √(a² + b² − 2 r a b)', () => {
    expect(pairedDifferenceSe(0.03, 0.04, 0)).toBeCloseTo(0.05, 15);
    expect(pairedDifferenceSe(0.02, 0.02, 1)).toBe(0);
    expect(pairedDifferenceSe(0.02, 0.02, 0.9)).toBeCloseTo(0.02 * Math.sqrt(0.2), 15);
    expect(() => pairedDifferenceSe(0.02, 0.02, 1.1)).toThrow('correlation is 1.1');
  });

  it('positivesNeeded: the smallest m, as found by a linear search in Python', () => {
    // Python (scipy 1.10), the same formula searched m = 1, 2, 3, … :
    // AUC 0.8, δ 0.005, 9 negatives a positive, α 0.05, power 0.8: r 0.5 → 23066, r 0.8 → 9228, r 0.9 → 4615.
    // AUC 0.7, δ 0.05, r 0.6, 3 negatives a positive → 247 (741 negatives).
    const expected: [number, number][] = [
      [0.5, 23066],
      [0.8, 9228],
      [0.9, 4615],
    ];
    for (const [r, m] of expected) {
      const size = positivesNeeded({ auc: 0.8, delta: 0.005, correlation: r, negativesPerPositive: 9 });
      expect(size.positives).toBe(m);
      expect(size.negatives).toBe(9 * m);
      expect(2.8015852181129683 * size.seDifference).toBeLessThanOrEqual(0.005);
    }
    expect(positivesNeeded({ auc: 0.7, delta: 0.05, correlation: 0.6, negativesPerPositive: 3 })).toMatchObject({
      positives: 247,
      negatives: 741,
    });
    // A negative delta asks about a worse model; the size depends on |δ| and the two AUCs.
    expect(positivesNeeded({ auc: 0.805, delta: -0.005, correlation: 0.5, negativesPerPositive: 9 }).positives).toBe(23066);
  });

  it('minimumDetectableDelta inverts positivesNeeded', () => {
    const size = positivesNeeded({ auc: 0.8, delta: 0.005, correlation: 0.8, negativesPerPositive: 9 });
    const mdd = minimumDetectableDelta({ auc: 0.8, positives: size.positives, negatives: size.negatives, correlation: 0.8 });
    expect(mdd.delta).toBeLessThanOrEqual(0.005);
    expect(mdd.delta).toBeGreaterThan(0.00499);
    expect(2.8015852181129683 * mdd.seDifference).toBeCloseTo(mdd.delta, 10);
    // Stricter error rates need a larger difference; a tiny test set resolves nothing below a perfect model.
    expect(
      minimumDetectableDelta({ auc: 0.8, positives: 5000, negatives: 45000, correlation: 0.8, alpha: 0.01, power: 0.9 }).delta,
    ).toBeGreaterThan(minimumDetectableDelta({ auc: 0.8, positives: 5000, negatives: 45000, correlation: 0.8 }).delta);
    expect(minimumDetectableDelta({ auc: 0.8, positives: 1, negatives: 1, correlation: 0 }).delta).toBe(Infinity);
  });

  it('rejects impossible inputs', () => {
    expect(() => positivesNeeded({ auc: 0.8, delta: 0.3, correlation: 0.5, negativesPerPositive: 9 })).toThrow('auc + delta is 1.1');
    expect(() => positivesNeeded({ auc: 0.8, delta: 0, correlation: 0.5, negativesPerPositive: 9 })).toThrow('delta is 0');
    expect(() => positivesNeeded({ auc: 0.8, delta: 0.01, correlation: 1, negativesPerPositive: 9 })).toThrow('correlation is 1');
    expect(() => positivesNeeded({ auc: 0.8, delta: 0.01, correlation: 0.5, negativesPerPositive: 0 })).toThrow(
      'negativesPerPositive is 0',
    );
    expect(() => positivesNeeded({ auc: 0.8, delta: 0.01, correlation: 0.5, negativesPerPositive: 9, power: 1 })).toThrow('power is 1');
    expect(() => minimumDetectableDelta({ auc: 1, positives: 10, negatives: 10, correlation: 0.5 })).toThrow('no model can improve');
  });
});
