import { describe, expect, it } from 'vitest';
import { gapClosed } from './gap-closed.js';
import { StatsInputError } from './stats-input-error.js';
import { minstdPanel } from '../test/minstd-panel.js';

describe('gapClosed', () => {
  const p = minstdPanel(600, 20260101, 0.3);

  it('delta method: matches the gradient formula applied to pROC’s covariance matrix', () => {
    // R 4.2.2 + pROC 1.18.0 on the 600-row panel, M = a, R = b, O = optimal, S = pROC's DeLong covariance:
    // g = c(1/D, (M - O)/D^2, -(M - R)/D^2), D = O - R; share 0.40162198693399381, se sqrt(g' S g) = 0.16137963777885822,
    // 95% CI 0.085323709049312302 .. 0.717920264818675324.
    const r = gapClosed(p.labels, p.a, p.b, p.optimal);
    expect(r.share).toBeCloseTo(0.40162198693399381, 13);
    expect(r.se).toBeCloseTo(0.16137963777885822, 12);
    expect(r.ci.lower).toBeCloseTo(0.085323709049312302, 12);
    expect(r.ci.upper).toBeCloseTo(0.717920264818675324, 12);
    expect(r).toMatchObject({ method: 'delta', degenerateReplicates: 0, positives: 166, negatives: 434 });
  });

  it('bootstrap: a percentile interval close to the delta method’s on this panel, reproducible by seed', () => {
    const delta = gapClosed(p.labels, p.a, p.b, p.optimal);
    const boot = gapClosed(p.labels, p.a, p.b, p.optimal, { method: 'bootstrap', resamples: 1000, seed: 11 });
    expect(boot.share).toBe(delta.share);
    expect(Math.abs(boot.se / delta.se - 1)).toBeLessThan(0.15);
    expect(Math.abs(boot.ci.lower - delta.ci.lower)).toBeLessThan(0.5 * delta.se);
    expect(Math.abs(boot.ci.upper - delta.ci.upper)).toBeLessThan(0.5 * delta.se);
    expect(gapClosed(p.labels, p.a, p.b, p.optimal, { method: 'bootstrap', resamples: 1000, seed: 11 }).ci).toEqual(boot.ci);
  });

  it('is 0 for the reference itself and 1 for the optimal scores', () => {
    expect(gapClosed(p.labels, p.b, p.b, p.optimal).share).toBe(0);
    expect(gapClosed(p.labels, p.optimal, p.b, p.optimal).share).toBe(1);
  });

  it('throws an insufficient error when there is no gap, and rejects an unknown method', () => {
    expect(() => gapClosed(p.labels, p.a, p.optimal, p.b)).toThrow(StatsInputError);
    expect(() => gapClosed(p.labels, p.a, p.optimal, p.b)).toThrow(/does not exceed the reference's .* there is no gap to close/);
    expect(() => gapClosed(p.labels, p.a, p.b, p.optimal, { method: 'jackknife' as 'delta' })).toThrow('method is jackknife');
  });
});
