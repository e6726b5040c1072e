import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { delongTest } from './delong-test.js';
import { StatsInputError } from './stats-input-error.js';
import { smallA, smallB, smallLabels } from '../test/small-input.js';
import { minstdPanel } from '../test/minstd-panel.js';
import { bruteForceComponents, variance } from '../test/brute-force.js';

describe('delongTest against published implementations', () => {
  it('matches pROC 1.18.0 and the yandexdataschool reference on a 40-row input with ties', () => {
    // pROC 1.18.0 (R 4.2.2, Debian r-cran-proc): roc.test(roc(y, a), roc(y, b), method = "delong", paired = TRUE)
    //   Z = -1.2947996584269719, p = 0.19538934986375298, 95% CI -0.199297484150973536 .. 0.040729709214912091,
    //   AUCs 0.79028132992327360 and 0.86956521739130432.
    // yandexdataschool/roc_comparison compare_auc_delong_xu.py (numpy 1.24, scipy 1.10) on the same input:
    //   AUCs 0.7902813299232736, 0.8695652173913044; SE of the difference 0.061232552041565455;
    //   p = 0.1953893498637525.
    const r = delongTest(smallLabels, smallA, smallB);
    expect(r.positives).toBe(17);
    expect(r.negatives).toBe(23);
    expect(r.aucA).toBeCloseTo(0.7902813299232736, 14);
    expect(r.aucB).toBeCloseTo(0.8695652173913044, 14);
    expect(r.se).toBeCloseTo(0.061232552041565455, 13);
    expect(r.z).toBeCloseTo(-1.2947996584269719, 12);
    expect(r.p).toBeCloseTo(0.19538934986375298, 12);
    expect(r.ci.lower).toBeCloseTo(-0.199297484150973536, 12);
    expect(r.ci.upper).toBeCloseTo(0.040729709214912091, 12);
    expect(r.ci.level).toBe(0.95);
    // pROC: var(roc_a) = 0.0067095783351400467, var(roc_b) = 0.0029899034662134718, cov = 0.0029750281859152487.
    expect(r.correlation).toBeCloseTo(0.0029750281859152487 / Math.sqrt(0.0067095783351400467 * 0.0029899034662134718), 12);
  });

  it('matches pROC on a 600-row panel, at the 90% level, and with a mask', () => {
    const p = minstdPanel(600, 20260101, 0.3);
    // pROC 1.18.0 on the same panel (rebuilt in R with the same MINSTD integer arithmetic):
    const r = delongTest(p.labels, p.a, p.b);
    expect(r.positives).toBe(166);
    expect(r.aucA).toBeCloseTo(0.78065487757481533, 14);
    expect(r.aucB).toBeCloseTo(0.71878990616845262, 14);
    expect(r.z).toBeCloseTo(2.1030348547426096, 12);
    expect(r.p).toBeCloseTo(0.035462722797823629, 12);
    expect(r.ci.lower).toBeCloseTo(0.0042087154543370003, 12);
    expect(r.ci.upper).toBeCloseTo(0.1195212273583886459, 12);
    const r90 = delongTest(p.labels, p.a, p.b, { level: 0.9 });
    expect(r90.ci.lower).toBeCloseTo(0.013478316106986334, 12);
    expect(r90.ci.upper).toBeCloseTo(0.11025162670573932, 12);
    // pROC on the rows i (0-based) with i mod 3 ≠ 0, selected in R before building the curves:
    const mask = p.labels.map((_, i) => i % 3 !== 0);
    const masked = delongTest(p.labels, Float32Array.from(p.a), Float64Array.from(p.b), { mask });
    expect(masked.positives + masked.negatives).toBe(400);
    expect(masked.aucA).toBeCloseTo(0.78060540681899904, 14);
    expect(masked.aucB).toBeCloseTo(0.71601124513745873, 14);
    expect(masked.z).toBeCloseTo(1.7421967333020145, 12);
    expect(masked.p).toBeCloseTo(0.081474025413656892, 12);
    expect(masked.ci.lower).toBeCloseTo(-0.008073998054602044, 12);
    expect(masked.ci.upper).toBeCloseTo(0.137262321417682659, 12);
  });
});

const rowsArbitrary = fc
  .array(fc.record({ label: fc.constantFrom(0, 1), a: fc.integer({ min: 0, max: 9 }), b: fc.integer({ min: 0, max: 9 }) }), {
    minLength: 4,
    maxLength: 60,
  })
  .filter((rows) => rows.filter((r) => r.label === 1).length >= 2 && rows.filter((r) => r.label === 0).length >= 2);

describe('delongTest properties', () => {
  it('identical scores give delta 0, SE 0 and p 1', () => {
    fc.assert(
      fc.property(rowsArbitrary, (rows) => {
        const labels = rows.map((r) => r.label);
        const a = rows.map((r) => r.a / 10);
        const r = delongTest(labels, a, Float32Array.from(a));
        expect(r.deltaAuc).toBe(0);
        expect(r.se).toBe(0);
        expect(r.z).toBe(0);
        expect(r.p).toBe(1);
      }),
    );
  });

  it('swapping A and B negates delta and z and keeps SE and p exactly', () => {
    fc.assert(
      fc.property(rowsArbitrary, (rows) => {
        const labels = rows.map((r) => r.label);
        const a = rows.map((r) => r.a);
        const b = rows.map((r) => r.b);
        const ab = delongTest(labels, a, b);
        const ba = delongTest(labels, b, a);
        // == rather than Object.is: a zero difference is +0 both ways.
        expect(ba.deltaAuc === -ab.deltaAuc).toBe(true);
        expect(ba.z === -ab.z).toBe(true);
        expect(ba.se).toBe(ab.se);
        expect(ba.p).toBe(ab.p);
      }),
    );
  });

  it('the SE equals the definition from pair-counted components', () => {
    fc.assert(
      fc.property(rowsArbitrary, (rows) => {
        const labels = rows.map((r) => r.label);
        const a = rows.map((r) => r.a);
        const b = rows.map((r) => r.b);
        const ca = bruteForceComponents(labels, a);
        const cb = bruteForceComponents(labels, b);
        const d10 = ca.v10.map((v, i) => v - cb.v10[i]!);
        const d01 = ca.v01.map((v, i) => v - cb.v01[i]!);
        const expected = Math.sqrt(variance(d10) / d10.length + variance(d01) / d01.length);
        expect(delongTest(labels, a, b).se).toBeCloseTo(expected, 12);
      }),
    );
  });

  it('is invariant to strictly increasing transforms of either model', () => {
    fc.assert(
      fc.property(rowsArbitrary, (rows) => {
        const labels = rows.map((r) => r.label);
        const a = rows.map((r) => r.a);
        const b = rows.map((r) => r.b);
        const base = delongTest(labels, a, b);
        const moved = delongTest(
          labels,
          a.map((x) => Math.exp(x) - 3),
          b.map((x) => 1 / (1 + Math.exp(-(x - 4)))),
        );
        expect(moved.deltaAuc).toBe(base.deltaAuc);
        expect(moved.se).toBe(base.se);
        expect(moved.p).toBe(base.p);
      }),
    );
  });

  it('has SE > 0 on non-degenerate data', () => {
    const p = minstdPanel(300, 7, 0.4);
    expect(delongTest(p.labels, p.a, p.b).se).toBeGreaterThan(0);
  });
});

describe('delongTest degenerate and bad inputs', () => {
  it('throws an insufficient StatsInputError with no positives, no negatives, or a single one of a class', () => {
    for (const labels of [
      [0, 0, 0, 0],
      [1, 1, 1, 1],
      [1, 0, 0, 0],
    ]) {
      const error = (() => {
        try {
          delongTest(labels, [1, 2, 3, 4], [4, 3, 2, 1]);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(StatsInputError);
      expect((error as StatsInputError).reason).toBe('insufficient');
      expect((error as StatsInputError).message).toMatch(/at least 2 of each are needed/);
    }
    // A mask can leave a single class even when the whole table has both.
    expect(() => delongTest([1, 1, 0, 0], [1, 2, 3, 4], [1, 2, 3, 4], { mask: [1, 1, 0, 0] })).toThrow(/2 positive and 0 negative rows/);
  });

  it('gives SE 0 and p 1 for two constant scorers, p 0 when only the SE vanishes', () => {
    const labels = [1, 1, 0, 0, 0];
    const constant = delongTest(labels, [0.3, 0.3, 0.3, 0.3, 0.3], [7, 7, 7, 7, 7]);
    expect(constant).toMatchObject({ aucA: 0.5, aucB: 0.5, deltaAuc: 0, se: 0, z: 0, p: 1 });
    expect(constant.correlation).toBeNaN();
    // A perfect scorer against a constant one: every component is constant, so DeLong's variance is 0.
    const perfect = delongTest(labels, [0.9, 0.8, 0.1, 0.2, 0.3], [0.5, 0.5, 0.5, 0.5, 0.5]);
    expect(perfect).toMatchObject({ aucA: 1, aucB: 0.5, deltaAuc: 0.5, se: 0, z: Infinity, p: 0 });
    expect(perfect.ci).toEqual({ lower: 0.5, upper: 0.5, level: 0.95 });
  });

  it('names the argument and index of a bad label, a NaN score, a length mismatch and a bad level', () => {
    expect(() => delongTest([1, 0, 0.5, 0], [1, 2, 3, 4], [1, 2, 3, 4])).toThrow('delongTest: labels[2] is 0.5; labels must be 0 or 1');
    expect(() => delongTest([1, 0, 1, 0], [1, 2, 3, 4], [1, NaN, 3, 4])).toThrow('delongTest: scoresB[1] is NaN');
    expect(() => delongTest([1, 0, 1, 0], [1, 2, 3], [1, 2, 3, 4])).toThrow('delongTest: scoresA has 3 entries but labels has 4');
    expect(() => delongTest([1, 0, 1, 0], [1, 2, 3, 4], [1, 2, 3, 4], { mask: [1, 1] })).toThrow('mask has 2 entries');
    expect(() => delongTest([1, 0, 1, 0], [1, 2, 3, 4], [1, 2, 3, 4], { level: 95 })).toThrow('level is 95; it must be in (0, 1)');
    // Labels outside the mask are not looked at (a missing label may be NaN there).
    expect(delongTest([1, 0, NaN, 1, 0], [1, 2, 3, 4, 5], [5, 4, 3, 2, 1], { mask: [1, 1, 0, 1, 1] }).positives).toBe(2);
  });
});
