/**
 * `ektm tune` and `ektm compare --tune-trials` as a user runs them: the built executable (packages/cli/dist/bin.js, built
 * by `npm test`'s build step) is spawned on a tiny simulator spec, interrupted with a real SIGINT and run again.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CompareResult } from '../compare/compare-result.js';
import { BUILT_BIN, inProcessCli, scratchFolder, spawnedCli, spawnEnv, writeSimulatedSpec } from '../testing/cli-harness.js';
import { openReport } from '../testing/open-report.js';
import { parseBudget } from './tune-budget.js';
import { runTune } from './run-tune.js';
import type { TrialRecord } from './trial-record.js';

const dir = scratchFolder('ektm-tune-cli-');
writeSimulatedSpec(dir, { seed: 3, trainRows: 400, validationRows: 200, testRows: 200 }, { defaultTaskSet: 'ektm' });
const ektm = spawnedCli(dir, BUILT_BIN);
const cli = inProcessCli(dir);
const TUNE = [
  'tune',
  '--dataset',
  'tiny.json',
  '--model',
  'mmoe',
  '--trials',
  '8',
  '--seed',
  '1',
  '--budget',
  'epochs=3',
  '--batch-size',
  '128',
];

function records(folder: string): TrialRecord[] {
  return readFileSync(join(folder, 'trials.jsonl'), 'utf8')
    .split('\n')
    .slice(1)
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as TrialRecord);
}

function outcome(runs: readonly TrialRecord[]) {
  return runs
    .map((r) => ({ trial: r.trial, resource: r.resource, config: r.config, score: r.score }))
    .sort((a, b) => a.resource - b.resource || a.trial - b.trial);
}

/** Starts `ektm tune`, sends SIGINT once `records` runs are in trials.jsonl, and resolves with its exit code and stderr. */
function interruptAfter(args: string[], folder: string, count: number): Promise<{ code: number | null; err: string; recorded: number }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [BUILT_BIN, ...args], { cwd: dir, env: spawnEnv(), stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    let recorded = 0;
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (err += chunk));
    const started = Date.now();
    const poll = setInterval(() => {
      recorded = existsSync(join(folder, 'trials.jsonl')) ? records(folder).length : 0;
      if (recorded >= count) {
        clearInterval(poll);
        child.kill('SIGINT');
      } else if (Date.now() - started > 240_000) {
        clearInterval(poll);
        child.kill('SIGKILL');
        reject(new Error(`no ${count} runs recorded in 240 s:\n${err}`));
      }
    }, 50);
    child.on('exit', (code) => {
      clearInterval(poll);
      resolvePromise({ code, err, recorded });
    });
  });
}

describe('ektm tune, interrupted and resumed', () => {
  it('stops on SIGINT after writing what is finished, and the same command resumes to the same 8 trials as an uninterrupted search', async () => {
    const folder = join(dir, 'out', 'mmoe');
    const args = [...TUNE, '--out', 'out/mmoe'];
    const stopped = await interruptAfter(args, folder, 3);
    expect(stopped.err).toContain('SIGINT: stopping after writing what is finished');
    expect(stopped.err).toContain(`ektm tune: stopped; every finished run is recorded in ${join(folder, 'trials.jsonl')}`);
    expect(stopped.err).toContain(`Resume with: ektm ${args.join(' ')}`);
    expect(stopped.code).toBe(130);
    const kept = records(folder);
    expect(kept.length).toBeGreaterThanOrEqual(3);
    expect(kept.length).toBeLessThan(10);
    expect(existsSync(join(folder, 'best.json'))).toBe(false);

    const resumed = ektm([...args, '--json']);
    expect(resumed.code).toBe(0);
    expect(resumed.err).toContain(`resuming: ${kept.length} run(s) already recorded`);
    const summary = JSON.parse(resumed.out) as { runs: TrialRecord[]; reused: number; best: TrialRecord };
    expect(summary.reused).toBe(kept.length);
    const all = records(folder);
    expect(new Set(all.map((r) => r.trial))).toEqual(new Set([0, 1, 2, 3, 4, 5, 6, 7]));
    expect(all).toHaveLength(10); // 8 trials of 1 epoch, the best 2 again for 3 epochs; none twice
    expect(all.slice(0, kept.length)).toEqual(kept);

    // The same search, uninterrupted (in this process): the same runs.
    const uninterrupted = await runTune({
      source: { dataset: join(dir, 'tiny.json') },
      model: 'mmoe',
      trials: 8,
      seed: 1,
      outDir: join(dir, 'uninterrupted'),
      budget: parseBudget('epochs=3'),
      protocol: { batchSize: 128 },
    });
    expect(outcome(all)).toEqual(outcome(uninterrupted.runs));
    expect(summary.best.trial).toBe(uninterrupted.best!.trial);

    const trained = ektm(['train', '--dataset', 'tiny.json', '--config', 'out/mmoe/best.json', '--out', 'models/tuned', '--quiet']);
    expect(trained.err).toBe('');
    expect(trained.code).toBe(0);
    expect(trained.out).toMatch(/^trained mmoe for \d epochs/);
  });

  it.each([
    [['--trials', '0'], '--trials "0" is not allowed; use an integer >= 1'],
    [['--model', 'mmeo'], '--model "mmeo" is not allowed; use one of'],
    [['--workers', '99'], 'workers 99 is not allowed; use an integer from 1 to'],
    [['--budget', 'steps=3'], 'budget "steps=3" is not allowed'],
  ])('rejects %j with exit code 2', async (bad, message) => {
    const args = [...TUNE, '--out', 'out/bad'];
    const at = args.indexOf(bad[0]!);
    if (at >= 0) args[at + 1] = bad[1]!;
    else args.push(...bad);
    const result = await cli(args);
    expect(result.code).toBe(2);
    expect(result.err).toContain(message);
  });

  it('runs as a smoke run with EKTM_QUICK=1: at most two trials of one epoch, and says so', async () => {
    const quick = await cli([...TUNE, '--out', 'out/quick', '--json', '--quiet'], { env: { EKTM_QUICK: '1' } });
    expect(quick.code, quick.err).toBe(0);
    expect(quick.err).toContain('EKTM_QUICK=1, a smoke run');
    const summary = JSON.parse(quick.out) as { trials: number; budget: { max: number; min: number }; runs: TrialRecord[] };
    expect([summary.trials, summary.budget.max, summary.budget.min]).toEqual([2, 1, 1]);
    expect(summary.runs.map((r) => [r.trial, r.resource])).toEqual([
      [0, 1],
      [1, 1],
    ]);
  });

  it('rejects a search space file with an error naming the file and the key', async () => {
    writeFileSync(join(dir, 'space.json'), JSON.stringify({ learningRate: { log: [1e-4, 1e-2] }, experts: { int: [0, 4] } }));
    const result = await cli([...TUNE, '--out', 'out/space', '--space', 'space.json']);
    expect(result.code).toBe(2);
    expect(result.err).toContain(`${join(dir, 'space.json')}["experts"]: int lower bound: 0 is not allowed`);
  });
});

/** Two models tuned with 3 trials each in out/compare-tune, then one seed of each with the winners. */
const COMPARE_TUNED = [
  'compare',
  '--dataset',
  'tiny.json',
  '--models',
  'mmoe,ektm',
  '--seeds',
  '0',
  '--epochs',
  '2',
  '--batch-size',
  '128',
  '--tune-trials',
  '3',
  '--tune-dir',
  'out/compare-tune',
];

describe('ektm compare --tune-trials', () => {
  it('tunes every model with the same budget, runs the seeds with the winners, and the report shows the tuning', async () => {
    const { code, err } = await cli([...COMPARE_TUNED, '--json', 'out/compare.json', '--report', 'out/report.html', '--quiet']);
    expect(err).toBe(`wrote ${join(dir, 'out/compare.json')}\nwrote ${join(dir, 'out/report.html')}\n`);
    expect(code).toBe(0);
    const result = JSON.parse(readFileSync(join(dir, 'out/compare.json'), 'utf8')) as CompareResult;
    const tuning = result.tuning!;
    expect(tuning).toMatchObject({ trials: 3, budget: { kind: 'epochs', max: 2 }, seed: 0 });
    expect(Object.keys(tuning.models)).toEqual(['mmoe', 'ektm']);
    for (const model of ['mmoe', 'ektm']) {
      const m = tuning.models[model]!;
      expect(m.runs.map((r) => [r.trial, r.resource])).toEqual([
        [0, 2],
        [1, 2],
        [2, 2],
      ]);
      expect(result.configs![model]).toEqual(m.config);
      expect(m.config.training.epochs).toBe(2);
    }
    // The final runs trained with the winners' settings: the tuned batch size sets the steps of an epoch.
    const mmoe = result.results.find((r) => r.model === 'mmoe')!;
    const batch = tuning.models.mmoe!.config.training.batchSize as number;
    expect(mmoe.curves[0]!.step).toBe(Math.ceil(400 / batch));

    const rendered = await openReport(join(dir, 'out/report.html'), join(dir, 'out/report.png'));
    expect(rendered.pageErrors).toEqual([]);
    const tuningCharts = rendered.chartIds.filter((id) => id.startsWith('chart-tuning-'));
    expect(tuningCharts).toContain('chart-tuning-scores');
    expect(tuningCharts.filter((id) => id.startsWith('chart-tuning-mmoe-'))).toHaveLength(Object.keys(tuning.models.mmoe!.space).length);
    expect(tuningCharts.filter((id) => id.startsWith('chart-tuning-ektm-')).length).toBeGreaterThan(15);

    // Rerun: every search is found complete in its folder and nothing is trained again before the seeds.
    const again = await cli(COMPARE_TUNED);
    expect(again.code).toBe(0);
    expect(again.err).toContain('resuming: 3 run(s) already recorded');
    expect(again.err).not.toMatch(/\[\d+\/3\] trial/);
  });
});
