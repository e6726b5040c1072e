import { describe, expect, it } from 'vitest';
import { calibration } from './calibration.js';
import { formatMetric } from './format.js';
import { logloss } from './logloss.js';

describe('logloss', () => {
  it('is the mean binary cross-entropy (by hand)', () => {
    // −(ln 0.9 + ln 0.8) / 2 = (0.1053605 + 0.2231436) / 2
    expect(logloss([0.9, 0.2], [1, 0])).toBeCloseTo(0.164252, 7);
    expect(logloss([0.5, 0.5, 0.5], [1, 0, 1])).toBeCloseTo(Math.LN2, 12);
  });

  it('clips probabilities to [eps, 1 − eps]', () => {
    expect(logloss([0, 1], [1, 0])).toBeCloseTo(-Math.log(1e-7), 9);
    expect(logloss([0], [1], 1e-3)).toBeCloseTo(-Math.log(1e-3), 12);
    expect(logloss([0, 1], [0, 1])).toBeCloseTo(-Math.log(1 - 1e-7), 12);
    expect(Number.isFinite(logloss([0], [1])!)).toBe(true);
  });

  it('accepts soft labels, is undefined for no rows, and rejects bad input', () => {
    expect(logloss([0.5], [0.3])).toBeCloseTo(Math.LN2, 12);
    expect(logloss([], [])).toBeUndefined();
    expect(() => logloss([NaN], [1])).toThrow(/NaN/);
    expect(() => logloss([0.5], [NaN])).toThrow(/mask missing labels/);
    expect(() => logloss([0.5], [1], 0)).toThrow(/eps/);
    expect(() => logloss([0.5], [1, 0])).toThrow(/1 probabilities but 2 labels/);
  });
});

describe('calibration', () => {
  it('is mean prediction / mean label (by hand)', () => {
    // mean prediction 0.4, positive rate 1/3 → 1.2
    const r = calibration([0.2, 0.4, 0.6], [0, 1, 0]);
    expect(r.meanPrediction).toBeCloseTo(0.4, 12);
    expect(r.positiveRate).toBeCloseTo(1 / 3, 12);
    expect(r.calibration).toBeCloseTo(1.2, 12);
  });

  it('is undefined when the mean label is 0 or there are no rows', () => {
    const r = calibration([0.2, 0.4], [0, 0]);
    expect(r.calibration).toBeUndefined();
    expect(r.meanPrediction).toBeCloseTo(0.3, 12);
    expect(r.positiveRate).toBe(0);
    expect(calibration([], [])).toEqual({ calibration: undefined, meanPrediction: undefined, positiveRate: undefined });
  });
});

describe('formatMetric', () => {
  it('prints 4 decimals and n/a for undefined', () => {
    expect(formatMetric(undefined)).toBe('n/a');
    expect(formatMetric(0.5)).toBe('0.5000');
    expect(formatMetric(1 / 3)).toBe('0.3333');
    expect(formatMetric(1)).toBe('1.0000');
    expect(formatMetric(1 / 3, 2)).toBe('0.33');
  });
});
