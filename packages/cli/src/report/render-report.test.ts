import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openReport } from '../testing/open-report.js';
import { sampleResult } from '../testing/sample-result.js';
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
    expect(rendered.bestRows).toBe(4); // click has a tie
    expect(rendered.aucCanvasPainted).toBe(true);
    expect(existsSync(screenshot) && statSync(screenshot).size).toBeGreaterThan(10_000);
    expect(readFileSync(screenshot).subarray(1, 4).toString()).toBe('PNG');
  });
});
