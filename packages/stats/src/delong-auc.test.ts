import { describe, expect, it } from 'vitest';
import { delongAuc } from './delong-auc.js';
import { smallA, smallLabels } from '../test/small-input.js';
import { minstdPanel } from '../test/minstd-panel.js';

describe('delongAuc', () => {
  it('matches pROC’s var() and ci.auc(method = "delong")', () => {
    // pROC 1.18.0 on the 40-row input: var(roc(y, a), method = "delong") = 0.0067095783351400467;
    // ci.auc 95%: 0.62973672902164901 .. 0.95082593082489819; 90%: 0.65554805361642143 .. 0.92501460623012566.
    const r = delongAuc(smallLabels, smallA);
    expect(r.auc).toBeCloseTo(0.7902813299232736, 14);
    expect(r.se ** 2).toBeCloseTo(0.0067095783351400467, 15);
    expect(r.ci.lower).toBeCloseTo(0.62973672902164901, 12);
    expect(r.ci.upper).toBeCloseTo(0.95082593082489819, 12);
    const r90 = delongAuc(smallLabels, smallA, { level: 0.9 });
    expect(r90.ci.lower).toBeCloseTo(0.65554805361642143, 12);
    expect(r90.ci.upper).toBeCloseTo(0.92501460623012566, 12);
    expect(r).toMatchObject({ positives: 17, negatives: 23, transform: 'none' });
    // The 600-row panel: ci.auc 0.73957944412323284 .. 0.82173031102639804.
    const p = minstdPanel(600, 20260101, 0.3);
    const big = delongAuc(p.labels, p.a);
    expect(big.ci.lower).toBeCloseTo(0.73957944412323284, 12);
    expect(big.ci.upper).toBeCloseTo(0.82173031102639804, 12);
  });

  it('builds the logit interval inside (0, 1), asymmetric towards 0.5, and the plain one clipped to [0, 1]', () => {
    const labels = [1, 1, 1, 1, 0, 0, 0, 0, 0, 0];
    const scores = [0.9, 0.8, 0.7, 0.35, 0.4, 0.3, 0.2, 0.1, 0.05, 0.0];
    const plain = delongAuc(labels, scores);
    const logit = delongAuc(labels, scores, { transform: 'logit' });
    expect(plain.auc).toBeCloseTo(23 / 24, 14);
    expect(plain.ci.upper).toBe(1);
    expect(logit.ci.upper).toBeLessThan(1);
    expect(logit.ci.lower).toBeGreaterThan(0);
    expect(logit.auc - logit.ci.lower).toBeGreaterThan(logit.ci.upper - logit.auc);
    // By hand: expit(logit(A) ± 1.959963984540054 · SE / (A (1 − A))).
    const a = logit.auc;
    const half = (1.959963984540054 * logit.se) / (a * (1 - a));
    expect(logit.ci.lower).toBeCloseTo(1 / (1 + Math.exp(-(Math.log(a / (1 - a)) - half))), 14);
  });

  it('gives SE 0 and a point interval for perfect or constant scores', () => {
    expect(delongAuc([1, 1, 0, 0], [0.9, 0.8, 0.1, 0.2], { transform: 'logit' })).toMatchObject({
      auc: 1,
      se: 0,
      ci: { lower: 1, upper: 1, level: 0.95 },
    });
    expect(delongAuc([1, 1, 0, 0], [3, 3, 3, 3])).toMatchObject({ auc: 0.5, se: 0, ci: { lower: 0.5, upper: 0.5 } });
  });

  it('rejects an unknown transform', () => {
    expect(() => delongAuc([1, 1, 0, 0], [1, 2, 3, 4], { transform: 'probit' as 'logit' })).toThrow(
      "transform is probit; it must be 'none' or 'logit'",
    );
  });
});
