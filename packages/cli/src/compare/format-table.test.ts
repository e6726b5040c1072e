import { describe, expect, it } from 'vitest';
import { sampleResult } from '../testing/sample-result.js';
import type { CompareTuning } from '../tune/compare-tuning.js';
import { formatComparisonMarkdown, formatComparisonTable } from './format-table.js';
import { seedStatistic, summarizeComparison } from './summarize.js';

describe('summarizeComparison', () => {
  it('computes mean and sample sd over seeds and marks the best model per task', () => {
    expect(seedStatistic([0.5, 0.7]).mean).toBeCloseTo(0.6, 12);
    expect(seedStatistic([0.5, 0.7]).sd).toBeCloseTo(Math.sqrt(0.02), 12);
    expect(seedStatistic([0.5, null, undefined])).toEqual({ mean: 0.5, sd: 0, n: 1 });
    expect(seedStatistic([null])).toEqual({ mean: null, sd: null, n: 0 });
    const summary = summarizeComparison(sampleResult());
    expect(summary.map((s) => s.task)).toEqual(['click', 'purchase', 'cart']);
    expect(summary.map((s) => s.target)).toEqual([false, true, true]);
    const purchase = summary[1]!;
    expect(purchase.rows.map((r) => r.model)).toEqual(['single-task', 'mmoe', 'ektm']);
    expect(purchase.rows[2]!.auc.mean).toBeCloseTo(0.65, 10);
    expect(purchase.rows[2]!.auc.sd).toBeCloseTo(Math.sqrt(0.00005), 10);
    expect(purchase.rows.map((r) => r.best)).toEqual([false, false, true]);
    // A tie on click: both tied models are best.
    expect(summary[0]!.rows.map((r) => r.best)).toEqual([false, true, true]);
  });
});

describe('formatComparisonTable', () => {
  it('prints one block per task with mean ± sd, logloss and time, and stars the best', () => {
    const text = formatComparisonTable(sampleResult());
    expect(text).toContain('synthetic (ektm): 6 runs, backend wasm');
    expect(text).toContain('purchase (target)');
    expect(text).toMatch(/\* ektm\s+0\.6500 ± 0\.0071\s+0\.5000\s+10\.5\s+5000/);
    expect(text).toMatch(/\n {2}single-task\s+0\.6000 ± 0\.0071/);
    expect(text).toMatch(/\n {2}\(true probabilities\)\s+0\.7000\n/);
    expect(text).not.toContain('\u001b[1m');
    expect(formatComparisonTable(sampleResult(), { color: true })).toContain('\u001b[1m* ektm');
  });

  it('says under the protocol which models ran with their own configuration, and how they were tuned', () => {
    expect(formatComparisonTable(sampleResult())).not.toMatch(/tuned:|configured/);
    const config = { model: 'mmoe', training: { learningRate: 0.003 }, options: {} };
    const configured = { ...sampleResult(), configs: { mmoe: config } };
    expect(formatComparisonTable(configured)).toContain(
      "configured (--config): mmoe ran with their configuration's settings in place of the protocol's",
    );
    const budget = { kind: 'epochs' as const, max: 9, min: 1, eta: 3 };
    const tuned = { ...configured, configs: { mmoe: config, ektm: { ...config, model: 'ektm' } } };
    const tuning = { trials: 8, budget, seed: 1, workers: 1, monitor: 'mean validation AUC of purchase', models: {} };
    const text = formatComparisonTable({ ...tuned, tuning: tuning as unknown as CompareTuning });
    expect(text).toContain(
      'tuned: mmoe, ektm, each with 8 trials, budget epochs=9 (rungs 1, 3, 9 epochs; eta 3), seed 1, on mean validation AUC of purchase; ' +
        "their winners' settings replace the protocol's",
    );
    // The line sits under the protocol, before the first task's block.
    expect(text.indexOf('tuned:')).toBeGreaterThan(text.indexOf('protocol:'));
    expect(text.indexOf('tuned:')).toBeLessThan(text.indexOf('click'));
  });
});

describe('formatComparisonMarkdown', () => {
  it('prints a Markdown row per task and model, the best in bold, and the true-probability AUC', () => {
    const md = formatComparisonMarkdown(sampleResult()).split('\n');
    expect(md[0]).toBe('| task | model | test AUC (mean ± sd, 2 seeds) | logloss | train s | samples/s |');
    expect(md).toContain('| purchase (target) | single-task | 0.6000 ± 0.0071 | 0.5000 | 10.5 | 5000 |');
    expect(md).toContain('| | **ektm** | **0.6500 ± 0.0071** | 0.5000 | 10.5 | 5000 |');
    expect(md).toContain('| | *true probabilities* | *0.7000* | | | |');
    expect(md.filter((l) => l.startsWith('|'))).toHaveLength(2 + 9 + 3);
  });
});
