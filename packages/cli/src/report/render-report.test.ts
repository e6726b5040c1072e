import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openReport } from '../testing/open-report.js';
import { sampleCurve, sampleResult } from '../testing/sample-result.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { escapeHtml, renderReport } from './render-report.js';

const dir = mkdtempSync(join(tmpdir(), 'ektm-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('renderReport', () => {
  it('is one self-contained page: echarts and the data inline, no external resource', () => {
    const html = renderReport(sampleResult(), { command: 'ektm compare --seeds 0,1' });
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).not.toMatch(/<link[^>]+href=/);
    expect(html).toContain('echarts');
    expect(html.length).toBeGreaterThan(500_000);
    expect(html).toContain('ektm compare --seeds 0,1');
    const data = JSON.parse(/<script type="application\/json" id="ektm-data">(.*?)<\/script>/s.exec(html)![1]!);
    expect(data.result.results).toHaveLength(6);
  });

  it('escapes names so that a dataset name cannot inject markup', () => {
    const result = { ...sampleResult(), dataset: '<img src=x onerror=alert(1)></script>' };
    const html = renderReport(result);
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;img src=x');
    expect(escapeHtml(`a&"'`)).toBe('a&amp;&quot;&#39;');
  });

  it('renders in headless Chromium: a bar per model and task, curves, heatmaps, the table; and a screenshot', async () => {
    const htmlPath = join(dir, 'report.html');
    writeFileAtomic(htmlPath, renderReport(sampleResult()));
    const screenshot = join(dir, 'report.png');
    const rendered = await openReport(htmlPath, screenshot);
    expect(rendered.pageErrors).toEqual([]);
    // 3 models × 3 tasks: every bar laid out with a visible size.
    expect(rendered.barsPerSeries).toEqual({ 'single-task': 3, mmoe: 3, ektm: 3 });
    // 6 runs × 3 epochs in each curve chart.
    expect(rendered.curvePoints).toEqual({ 'chart-curve-auc': 18, 'chart-curve-loss': 18 });
    expect(rendered.heatmapCells).toEqual({ 'mmoe: mmoe/gates': 12, 'ektm: router/similarity': 4 });
    expect(rendered.tableRows).toBe(12); // 9 model rows + 3 true-probability rows
    // Best only where the top model is significantly above the runner-up: purchase (click is a tie, cart not significant).
    expect(rendered.bestRows).toBe(1);
    expect(rendered.aucCanvasPainted).toBe(true);
    expect(existsSync(screenshot) && statSync(screenshot).size).toBeGreaterThan(10_000);
    expect(readFileSync(screenshot).subarray(1, 4).toString()).toBe('PNG');
  });

  it('shows the evidence: test positives, a forest plot per reference, the significance table, the gap closed, the curve', async () => {
    const result = { ...sampleResult(), trainRowsCurve: sampleCurve() };
    const html = renderReport(result);
    expect(html).toContain('Is the difference real?');
    expect(html).toContain('Best baseline by validation: <b>mmoe</b>');
    const htmlPath = join(dir, 'evidence.html');
    writeFileAtomic(htmlPath, html);
    const rendered = await openReport(htmlPath, join(dir, 'evidence.png'));
    expect(rendered.pageErrors).toEqual([]);
    // A forest plot per reference: a point and an interval per (task, model) compared with it.
    expect(rendered.seriesItems['chart-forest-0']).toEqual({ scatter: 6, custom: 6 });
    expect(rendered.seriesItems['chart-forest-1']).toEqual({ scatter: 6, custom: 6 });
    expect(rendered.tables).toMatchObject({ 'test-space': 3, significance: 12, 'gap-closed': 4 });
    expect(rendered.seriesItems['chart-gap']).toEqual({ scatter: 4, custom: 4 });
    // The curve: one chart per target and the mean of targets, 3 models × 2 sizes, each with its CI.
    for (const id of ['chart-rows-0', 'chart-rows-1', 'chart-rows-2']) expect(rendered.seriesItems[id]).toEqual({ line: 6, custom: 6 });
  });

  it('says so when a result carries no statistics', () => {
    const { statistics: _s, comparisons: _c, ...older } = sampleResult();
    expect(renderReport(older)).toContain('This result carries no statistics');
  });
});
