/**
 * End to end: the built executable (packages/cli/dist/bin.js, built by `npm test`'s build step) is spawned
 * like a user would run it; a tiny comparison writes JSON and a report, which headless Chromium renders.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { CompareResult } from './compare/compare-result.js';
import { openReport } from './testing/open-report.js';

const bin = resolve(fileURLToPath(import.meta.url), '../../dist/bin.js');
const dir = mkdtempSync(join(tmpdir(), 'ektm-bin-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function ektm(args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, EKTM_QUIET: '1' },
    timeout: 300_000,
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

describe('the ektm executable', () => {
  it('prints help (exit 0) and rejects a bad flag (exit 2)', () => {
    const help = ektm(['--help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain('Usage: ektm <command> [options]');
    const compareHelp = ektm(['compare', '--help']);
    expect(compareHelp.code).toBe(0);
    expect(compareHelp.out).toContain('--seeds <0,1,2>');
    const bad = ektm(['compare', '--epochs', 'zero']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--epochs "zero" is not allowed; use an integer >= 1');
  });

  it('runs a tiny comparison whose report renders in Chromium with a bar per model and task', async () => {
    writeFileSync(
      join(dir, 'tiny.json'),
      JSON.stringify({ name: 'tiny', synthetic: { seed: 5, trainRows: 500, validationRows: 250, testRows: 250 } }),
    );
    const result = ektm([
      'compare',
      '--dataset',
      'tiny.json',
      '--models',
      'mmoe,ektm',
      '--seeds',
      '0',
      '--epochs',
      '1',
      '--batch-size',
      '128',
      '--json',
      'compare.json',
      '--report',
      'report.html',
      '--quiet',
    ]);
    expect(result.err).toBe(`wrote ${join(dir, 'compare.json')}\nwrote ${join(dir, 'report.html')}\n`);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^\s+model\s+test AUC\s+logloss/m);
    const json = JSON.parse(readFileSync(join(dir, 'compare.json'), 'utf8')) as CompareResult;
    expect(json.results.map((r) => r.model)).toEqual(['mmoe', 'ektm']);

    const rendered = await openReport(join(dir, 'report.html'), join(dir, 'report.png'));
    expect(rendered.pageErrors).toEqual([]);
    expect(rendered.barsPerSeries).toEqual({ mmoe: 4, ektm: 4 }); // click, purchase, cart, favorite
    expect(rendered.curvePoints).toEqual({ 'chart-curve-auc': 2, 'chart-curve-loss': 2 });
    expect(Object.keys(rendered.heatmapCells).sort()).toEqual(['ektm: router/similarity', 'mmoe: mmoe/gates']);
    expect(rendered.heatmapCells['ektm: router/similarity']).toBe(9);
    expect(rendered.aucCanvasPainted).toBe(true);
  });
});
