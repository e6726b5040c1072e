import { describe, expect, it } from 'vitest';
import { monitorValue } from './monitor.js';

const results = {
  click: { auc: 0.8, logloss: 0.4 },
  cvr: { auc: 0.6, logloss: 0.5, gauc: 0.55 },
};

describe('monitorValue', () => {
  it('reads one task metric, higher is better', () => {
    expect(monitorValue(results, { task: 'click', metric: 'auc' })).toEqual({ value: 0.8, description: 'click auc 0.8000' });
    expect(monitorValue(results, { task: 'click' }).value).toBe(0.8);
    expect(monitorValue(results, { task: 'cvr', metric: 'gauc' }).value).toBe(0.55);
    expect(monitorValue(results, { task: 'cvr', metric: 'logloss' })).toEqual({ value: -0.5, description: 'cvr logloss 0.5000' });
  });

  it('averages tasks with weights (shorthand on AUC, or FuxiCTR-style { metric, weights })', () => {
    const w = monitorValue(results, { click: 1, cvr: 3 });
    expect(w.value).toBeCloseTo((0.8 + 3 * 0.6) / 4, 12);
    expect(w.description).toBe('weighted auc 0.6500 (click×1 0.8000, cvr×3 0.6000)');
    expect(monitorValue(results, { metric: 'logloss', weights: { click: 1, cvr: 1 } }).value).toBeCloseTo(-0.45, 12);
    expect(monitorValue(results, { weights: { click: 1, cvr: 0 } }).value).toBe(0.8);
  });

  it('is -Infinity with n/a when a monitored metric is undefined', () => {
    const r = { click: { auc: undefined, logloss: 0.4 }, cvr: { auc: 0.6, logloss: 0.5 } };
    expect(monitorValue(r, { task: 'click' })).toEqual({ value: -Infinity, description: 'click auc n/a' });
    expect(monitorValue(r, { click: 1, cvr: 1 }).description).toBe('weighted auc n/a (click×1 n/a, cvr×1 0.6000)');
  });

  it('throws clear errors', () => {
    expect(() => monitorValue(results, { task: 'ctcvr' })).toThrow('monitor: unknown task "ctcvr"; tasks are click, cvr');
    expect(() => monitorValue(results, { ctcvr: 1 })).toThrow(/unknown task "ctcvr"/);
    expect(() => monitorValue(results, { task: 'click', metric: 'gauc' })).toThrow(/no gauc/);
    expect(() => monitorValue(results, { task: 'click', metric: 'f1' as never })).toThrow(/not one of auc, gauc, logloss/);
    expect(() => monitorValue(results, { click: -1 })).toThrow(/weights must be finite numbers >= 0/);
    expect(() => monitorValue(results, { click: 0 })).toThrow(/at least one weight must be positive/);
    expect(() => monitorValue(results, {})).toThrow(/no task to monitor/);
  });
});
