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
    // Best only where the top model is significantly above the runner-up (the leaders of the statistics).
    expect(purchase.rows.map((r) => r.best)).toEqual([false, false, true]);
    // A tie on click, and no significant difference on cart: no model is best.
    expect(summary[0]!.rows.map((r) => r.best)).toEqual([false, false, false]);
    expect(summary[2]!.rows.map((r) => r.best)).toEqual([false, false, false]);
    // Without statistics (a result of an older version) no model is called best.
    const { statistics: _dropped, ...older } = sampleResult();
    expect(summarizeComparison(older).flatMap((s) => s.rows.map((r) => r.best))).not.toContain(true);
  });
});

describe('formatComparisonTable', () => {
  it('prints one block per task with mean ± sd, logloss and time, and stars the best', () => {
    const text = formatComparisonTable(sampleResult());
    expect(text).toContain('synthetic (ektm): 6 runs, backend wasm');
    expect(text).toContain('purchase (target)');
    expect(text).toContain("test rows (positives) in each task's own sample space: click 400 (80), purchase 80 (20), cart 80 (30)");
    expect(text).toMatch(
      /purchase \(target\), 20 test positives of 80 rows\n {2}model\s+test AUC \(mean ± sd, 2 seeds\)\s+Δ vs single-task \(± 95% CI\)\s+Δ vs mmoe \(± 95% CI\)\s+logloss/,
    );
    // Δ ± half the CI beside the AUC, † where the Holm-adjusted p < 0.05.
    expect(text).toMatch(/\* ektm\s+0\.6500 ± 0\.0071\s+\+0\.0500 ± 0\.0200†\s+\+0\.0200 ± 0\.0150†\s+0\.5000\s+10\.5\s+5000/);
    expect(text).toMatch(/\n {2}ektm\s+0\.6800 ± 0\.0071\s+\+0\.0300 ± 0\.0200†\s+\+0\.0200 ± 0\.0250 \s+0\.6000/);
    expect(text).toMatch(/\n {2}single-task\s+0\.6000 ± 0\.0071\s+ref\s+−0\.0300 ± 0\.0200†/);
    expect(text).toMatch(/\n {2}\(true probabilities\)\s+0\.7000\n/);
    // Click is not a target: no Δ columns; its top two are tied, so no model is best.
    expect(text).toMatch(/click, 80 test positives of 400 rows\n {2}model\s+test AUC \(mean ± sd, 2 seeds\)\s+logloss/);
    expect(text).toContain('  no model is best: mmoe − ektm = +0.0000, p = 1.0 (not significant)');
    expect(text).toContain('  no model is best: ektm − mmoe = +0.0200, p = 0.12 (not significant)');
    expect(text).toMatch(/mean of targets\n {2}model/);
    expect(text).toMatch(/\n\* ektm\s+0\.6650 ± 0\.0071\s+\+0\.0400 ± 0\.0150†/);
    expect(text).toContain('best baseline by validation: mmoe (mean validation monitor 0.6300)');
    expect(text).toMatch(
      /share of the gap closed between single-task \(0\) and the true probabilities \(1\).*\n\s+model\s+purchase\s+cart\n\s+mmoe\s+0\.30 \[0\.10, 0\.50\]\s+0\.14 \[-0\.10, 0\.40\]/,
    );
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
    expect(md[0]).toBe(
      '| task | model | test AUC (mean ± sd, 2 seeds) | Δ vs single-task (± 95% CI) | Δ vs mmoe (± 95% CI) | logloss | train s | samples/s |',
    );
    expect(md).toContain(
      '| purchase (target, 20 test positives) | single-task | 0.6000 ± 0.0071 | ref | −0.0300 ± 0.0200† | 0.5000 | 10.5 | 5000 |',
    );
    expect(md).toContain('| | **ektm** | **0.6500 ± 0.0071** | +0.0500 ± 0.0200† | +0.0200 ± 0.0150† | 0.5000 | 10.5 | 5000 |');
    expect(md).toContain('| | ektm | 0.7100 ± 0.0071 | | | 0.4000 | 10.5 | 5000 |');
    expect(md).toContain('| | *true probabilities* | *0.7000* | | | | | |');
    // 3 tasks and the mean of targets, 3 models each, 3 true-probability rows.
    expect(md.filter((l) => l.startsWith('|'))).toHaveLength(2 + 12 + 3);
  });
});
