import { describe, expect, it } from 'vitest';
import { bootstrapAucs } from './bootstrap.js';
import { delongTest } from './delong-test.js';
import { percentileInterval } from './percentile-interval.js';
import { minstdPanel } from '../test/minstd-panel.js';

describe('bootstrapAucs', () => {
  const p = minstdPanel(2000, 99, 0.3);

  it('is reproducible with a seed and changes with it', () => {
    const a = bootstrapAucs(p.labels, [p.a, p.b], { resamples: 50, seed: 7 });
    const b = bootstrapAucs(p.labels, [p.a, p.b], { resamples: 50, seed: 7 });
    const c = bootstrapAucs(p.labels, [p.a, p.b], { resamples: 50, seed: 8 });
    expect(Array.from(a.replicates[0]!)).toEqual(Array.from(b.replicates[0]!));
    expect(Array.from(a.replicates[0]!)).not.toEqual(Array.from(c.replicates[0]!));
    expect(a.aucs[0]).toBeCloseTo(delongTest(p.labels, p.a, p.b).aucA, 14);
  });

  it('pairs the rows across models: a monotone transform of a model gives identical replicates', () => {
    const r = bootstrapAucs(p.labels, [p.a, p.a.map((x) => Math.log1p(x) * 3)], { resamples: 40, seed: 1 });
    expect(Array.from(r.replicates[1]!)).toEqual(Array.from(r.replicates[0]!));
  });

  it('the SD of the replicate differences agrees with DeLong’s SE within 12%, centred on the difference', () => {
    const r = bootstrapAucs(p.labels, [p.a, p.b], { resamples: 1000, seed: 3 });
    const d = r.replicates[0]!.map((x, i) => x - r.replicates[1]![i]!);
    const mean = d.reduce((s, x) => s + x, 0) / d.length;
    const sd = Math.sqrt(d.reduce((s, x) => s + (x - mean) ** 2, 0) / (d.length - 1));
    const delong = delongTest(p.labels, p.a, p.b);
    expect(Math.abs(sd / delong.se - 1)).toBeLessThan(0.12);
    expect(Math.abs(mean - delong.deltaAuc)).toBeLessThan(0.2 * delong.se);
    const ci = percentileInterval(d, 0.95);
    expect(Math.abs(ci.lower - delong.ci.lower)).toBeLessThan(0.3 * delong.se);
    expect(Math.abs(ci.upper - delong.ci.upper)).toBeLessThan(0.3 * delong.se);
  });

  it('keeps the class counts in every replicate (stratified) and respects a mask', () => {
    const mask = p.labels.map((_, i) => i < 500);
    const r = bootstrapAucs(p.labels, [p.a], { resamples: 5, mask });
    expect(r.positives + r.negatives).toBe(500);
    expect(r.seed).toBe(0);
    expect(r.resamples).toBe(5);
  });

  it('rejects bad options and a single class', () => {
    expect(() => bootstrapAucs(p.labels, [p.a], { resamples: 0 })).toThrow('resamples is 0');
    expect(() => bootstrapAucs(p.labels, [p.a], { seed: 0.5 })).toThrow('seed is 0.5');
    expect(() => bootstrapAucs([1, 1], [[1, 2]])).toThrow(/2 positive and 0 negative rows/);
  });
});
