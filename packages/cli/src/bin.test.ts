/**
 * End to end: the executable (packages/cli/bin/ektm.js, which runs the build in dist/ made by `npm test`'s build
 * step) is spawned like a user would run it; a tiny comparison writes JSON and a report, which headless Chromium
 * renders; Ctrl-C in the middle of a comparison, then --resume, ends with every run and one report.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CompareResult } from './compare/compare-result.js';
import { EKTM_BIN, scratchFolder, spawnedCli, spawnEnv, writeSimulatedSpec } from './testing/cli-harness.js';
import { openReport } from './testing/open-report.js';

const dir = scratchFolder('ektm-bin-');
const ektm = spawnedCli(dir, EKTM_BIN);

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
    writeSimulatedSpec(dir, { seed: 5, trainRows: 500, validationRows: 250, testRows: 250 });
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
    // Two models, one epoch: a point at each of the 4 validations (the default) on both charts.
    expect(rendered.curvePoints).toEqual({ 'chart-curve-auc': 8, 'chart-curve-loss': 8 });
    expect(Object.keys(rendered.heatmapCells).sort()).toEqual(['ektm: router/similarity', 'mmoe: mmoe/gates']);
    expect(rendered.heatmapCells['ektm: router/similarity']).toBe(9);
    expect(rendered.aucCanvasPainted).toBe(true);
  });

  it('stops on Ctrl-C after keeping the finished runs (exit 130), and --resume finishes with every run and one report', async () => {
    writeSimulatedSpec(dir, { seed: 6, trainRows: 500, validationRows: 250, testRows: 250 }, { name: 'small' });
    const args = ['compare', '--dataset', 'small.json', '--models', 'mmoe,shared-bottom', '--seeds', '0,1', '--epochs', '1'];
    const outputs = ['--batch-size', '128', '--json', 'sigint/compare.json', '--report', 'sigint/report.html'];
    // Ctrl-C as the third of the four runs starts.
    const interrupted = await new Promise<{ code: number | null; err: string }>((done) => {
      const child = spawn(process.execPath, [EKTM_BIN, ...args, ...outputs], { cwd: dir, env: spawnEnv() });
      let err = '';
      let sent = false;
      child.stderr.on('data', (chunk: Buffer) => {
        err += chunk.toString();
        if (!sent && err.includes('run 3 of 4: ')) {
          sent = true;
          child.kill('SIGINT');
        }
      });
      child.on('close', (code) => done({ code, err }));
    });
    expect(interrupted.err).toContain('run 2 of 4: mmoe seed 1 (1 done, about ');
    expect(interrupted.err).toContain('ektm compare: stopping after the current step');
    expect(interrupted.err).toContain(
      'ektm compare: interrupted after 2 of 4 runs; the finished runs are kept (rerun the same command with --resume to finish)',
    );
    expect(interrupted.code).toBe(130);
    const partial = JSON.parse(readFileSync(join(dir, 'sigint/compare.json'), 'utf8')) as CompareResult;
    expect(partial.results.map((r) => `${r.model}#${r.seed}`)).toEqual(['mmoe#0', 'mmoe#1']);
    expect(partial.missingRuns).toEqual(['shared-bottom#0', 'shared-bottom#1']);
    expect(readFileSync(join(dir, 'sigint/report.html'), 'utf8')).toContain('partial result');
    expect(readFileSync(join(dir, 'sigint/compare.runs.jsonl'), 'utf8').trim().split('\n')).toHaveLength(3);

    rmSync(join(dir, 'sigint/report.html'));
    const resumed = ektm([...args, ...outputs, '--resume']);
    expect(resumed.code).toBe(0);
    expect(resumed.err).toContain('resuming: 2 of 4 runs finished earlier, 2 to go');
    expect(resumed.err).toContain('run 3 of 4: shared-bottom seed 0 (2 done)');
    const full = JSON.parse(readFileSync(join(dir, 'sigint/compare.json'), 'utf8')) as CompareResult;
    expect(full.results.map((r) => `${r.model}#${r.seed}`)).toEqual(['mmoe#0', 'mmoe#1', 'shared-bottom#0', 'shared-bottom#1']);
    expect(full.missingRuns).toBeUndefined();
    // The resumed runs are the ones finished before Ctrl-C, not retrained.
    expect(full.results[0]).toEqual(partial.results[0]);
    // Their test predictions were kept beside the runs file, so the statistics count them without retraining.
    expect(existsSync(join(dir, 'sigint/compare.predictions/mmoe.seed-1.f32'))).toBe(true);
    expect(full.statistics!.notes.filter((n) => n.includes('no test predictions'))).toEqual([]);
    expect(full.comparisons!.filter((c) => c.model === 'shared-bottom' && c.reference === 'mmoe').length).toBeGreaterThan(0);
    expect(existsSync(join(dir, 'sigint/report.html'))).toBe(true);
    expect(resumed.out.match(/^small \(ektm\): 4 runs/gm)).toHaveLength(1);
  });
});
