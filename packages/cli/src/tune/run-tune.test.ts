/**
 * `runTune` for real on a tiny simulator spec: reproducible (same seed, same runs, whatever the workers), resumable
 * (stopped after a few runs, or with a truncated last line, it ends with the same runs), validation-only (the test split
 * is never loaded), and strict with bad input.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, InterruptedError, initEngine } from '@ektm/core';
import { parseBudget } from './tune-budget.js';
import { runTune, type TuneOptions } from './run-tune.js';
import type { TrialRecord } from './trial-record.js';
import { TRIALS_FILE } from './trials-file.js';
import type { TuneResult } from './tune-result.js';
import { inProcessCli, scratchFolder, writeSimulatedSpec } from '../testing/cli-harness.js';

const dir = scratchFolder('ektm-tune-');
const spec = writeSimulatedSpec(dir, { seed: 3, trainRows: 400, validationRows: 200, testRows: 200 }, { defaultTaskSet: 'ektm' });
let n = 0;
const out = () => join(dir, `search-${n++}`);

/** The same small search every test runs: 4 MMoE trials, rungs of 1 and 3 epochs. */
function options(extra: Partial<TuneOptions> = {}): TuneOptions {
  return {
    source: { dataset: spec },
    model: 'mmoe',
    trials: 4,
    seed: 1,
    outDir: out(),
    budget: parseBudget('epochs=3'),
    protocol: { batchSize: 128 },
    ...extra,
  };
}

/** What must be the same in two searches: every run's trial, rung, configuration, status, score and metrics. */
function outcome(runs: readonly TrialRecord[]) {
  return runs
    .map((r) => ({
      trial: r.trial,
      rung: r.rung,
      resource: r.resource,
      config: r.config,
      status: r.status,
      score: r.score,
      validation: r.validation,
      epochs: r.epochs,
    }))
    .sort((a, b) => a.rung - b.rung || a.trial - b.trial);
}

function recordsIn(folder: string): TrialRecord[] {
  return readFileSync(join(folder, TRIALS_FILE), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => JSON.parse(line) as TrialRecord);
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

let reference: TuneResult;
beforeAll(async () => {
  await initEngine({ quiet: true });
  reference = await runTune(options());
});

describe('runTune', () => {
  it('trains every trial for the first rung and the best 1/eta for the second, and writes best.json, summary.json and trials.jsonl', () => {
    expect(reference.rungs.map((r) => [r.resource, r.size, r.finished])).toEqual([
      [1, 4, 4],
      [3, 1, 1],
    ]);
    expect(reference.runs).toHaveLength(5);
    const firstRung = reference.runs.filter((r) => r.rung === 0 && r.status === 'ok');
    const promoted = [...firstRung].sort((a, b) => b.score! - a.score!)[0]!;
    expect(reference.best!.trial).toBe(promoted.trial);
    expect(reference.best!.rung).toBe(1);
    expect(reference.best!.score).toBeGreaterThanOrEqual(promoted.score!);
    expect(Object.keys(reference.best!.validation!)).toEqual(['click', 'purchase', 'cart', 'favorite']);
    expect(reference.monitor).toBe('mean validation AUC of purchase, cart, favorite');
    const best = JSON.parse(readFileSync(reference.files.best!, 'utf8'));
    expect(best).toMatchObject({ model: 'mmoe', training: { epochs: 3, earlyStopping: { patience: 2 } }, validationsPerEpoch: 1 });
    expect(best.tuning).toMatchObject({ trial: promoted.trial, rung: 1, seed: 1, trials: 4, score: reference.best!.score });
    expect(JSON.parse(readFileSync(reference.files.summary, 'utf8')).runs).toHaveLength(5);
    expect(recordsIn(join(reference.files.trials, '..'))).toHaveLength(5);
  });

  it('is reproducible: the same seed draws and scores the same runs; another seed draws other configurations', async () => {
    const before = tf.memory().numTensors;
    const again = await runTune(options());
    expect(tf.memory().numTensors).toBe(before);
    expect(outcome(again.runs)).toEqual(outcome(reference.runs));
    const other = await runTune(options({ seed: 2, trials: 1, budget: parseBudget('epochs=1') }));
    expect(other.runs[0]!.config).not.toEqual(reference.runs.find((r) => r.trial === 0)!.config);
  });

  it('gives the same runs with two worker processes (one engine each) as in this process', async () => {
    if (availableParallelism() < 2) throw new Error('this test needs 2 cores');
    const parallel = await runTune(options({ workers: 2 }));
    expect(parallel.workers).toBe(2);
    expect(outcome(parallel.runs)).toEqual(outcome(reference.runs));
  });

  it('stops cleanly when signalled, keeps the finished runs, and resumes to the same runs without repeating one', async () => {
    const folder = out();
    const controller = new AbortController();
    let finished = 0;
    const error = await rejection(
      runTune(
        options({
          outDir: folder,
          signal: controller.signal,
          log: (line) => {
            if (/^\[\d+\/\d+\] trial/.test(line) && ++finished === 2) controller.abort();
          },
        }),
      ),
    );
    expect(error).toBeInstanceOf(InterruptedError);
    expect(error.message).toContain(`every finished run is recorded in ${join(folder, TRIALS_FILE)}`);
    expect(error.message).toContain('Run the same command again to resume');
    expect(existsSync(join(folder, 'best.json'))).toBe(false);
    const kept = recordsIn(folder);
    expect(kept.length).toBeGreaterThanOrEqual(2);
    expect(kept.length).toBeLessThan(5);

    const resumed = await runTune(options({ outDir: folder }));
    expect(resumed.reused).toBe(kept.length);
    expect(outcome(resumed.runs)).toEqual(outcome(reference.runs));
    const all = recordsIn(folder);
    expect(all).toHaveLength(5);
    expect(new Set(all.map((r) => `${r.trial}@${r.resource}`)).size).toBe(5);
    expect(new Set(all.map((r) => r.trial)).size).toBe(4);
  });

  it('drops a truncated last line and does that run again', async () => {
    const folder = out();
    await runTune(options({ outDir: folder, trials: 2, budget: parseBudget('epochs=1') }));
    const path = join(folder, TRIALS_FILE);
    const text = readFileSync(path, 'utf8');
    const lastLine = text.trimEnd().split('\n').pop()!;
    writeFileSync(path, text.slice(0, text.length - lastLine.length - 1 + Math.floor(lastLine.length / 2)));
    const lines: string[] = [];
    const resumed = await runTune(options({ outDir: folder, trials: 2, budget: parseBudget('epochs=1'), log: (l) => lines.push(l) }));
    expect(resumed.droppedTruncatedLine).toBe(true);
    expect(lines.some((l) => l.startsWith('dropped the truncated last line'))).toBe(true);
    expect(lines.filter((l) => /^\[\d+\/2\] trial/.test(l))).toHaveLength(1);
    expect(outcome(resumed.runs)).toEqual(
      outcome(reference.runs.filter((r) => r.rung === 0 && r.trial < 2)).map((r) => ({ ...r, rung: 0 })),
    );
    expect(recordsIn(folder)).toHaveLength(2);
  });

  it('measures rungs in seconds with a time budget, and gives the winner the epochs its time allowed', async () => {
    const result = await runTune(options({ trials: 2, budget: parseBudget('time=2s', { min: '0.5s', eta: 2 }) }));
    expect(result.rungs.map((r) => [r.resource, r.size])).toEqual([
      [0.5, 2],
      [1, 1],
      [2, 1],
    ]);
    // A run trains until its time is up, unless early stopping ends it first.
    for (const r of result.runs) expect(r.seconds >= r.resource || r.stoppedEarly).toBe(true);
    expect(result.bestConfig!.training.epochs).toBe(result.best!.epochs);
  });

  it('never loads the test split: a dataset whose test file is broken tunes all the same', async () => {
    const rows = ['user,item,clicked,bought'];
    for (let i = 0; i < 300; i++)
      rows.push(`u${i % 13},i${(i * 7) % 17},${i % 3 === 0 ? 1 : 0},${i % 3 === 0 && (i * 13) % 7 < 3 ? 1 : 0}`);
    writeFileSync(join(dir, 'rows.csv'), `${rows.join('\n')}\n`);
    writeFileSync(join(dir, 'test.csv'), 'user,item,clicked,bought\nthis line is broken\n');
    const fileSpec = join(dir, 'files.json');
    writeFileSync(
      fileSpec,
      JSON.stringify({
        name: 'files',
        files: { train: 'rows.csv', test: 'test.csv' },
        features: [
          { column: 'user', type: 'categorical' },
          { column: 'item', type: 'categorical' },
        ],
        tasks: [
          { name: 'click', column: 'clicked' },
          { name: 'buy', column: 'bought', parent: 'click' },
        ],
      }),
    );
    const result = await runTune(options({ source: { dataset: fileSpec }, trials: 2, budget: parseBudget('epochs=1') }));
    expect(result.runs.every((r) => r.status === 'ok')).toBe(true);
    expect(result.targets).toEqual(['buy']);
  });

  it.each([
    [{ model: 'mmeo' }, 'model', 'unknown model "mmeo" (did you mean "mmoe"?)'],
    [{ trials: 0 }, 'trials', 'trials 0 is not allowed; use an integer >= 1'],
    [{ workers: 64 }, 'workers', `use an integer from 1 to ${availableParallelism()}`],
    [{ space: {} }, 'space', 'the search space of mmoe is empty'],
    [{ space: { epochs: { int: [1, 3] } } }, 'space.epochs', 'leave epochs out of the space'],
    [{ space: { experts: { int: [0, 3] } } }, 'experts', 'int lower bound: 0 is not allowed'],
  ] as Array<[Partial<TuneOptions>, string, string]>)('rejects %j naming the key', async (bad, key, message) => {
    const error = await rejection(runTune(options(bad)));
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).key).toBe(key);
    expect(error.message).toContain(message);
  });

  it('refuses the trials of another search, and a folder it cannot use', async () => {
    const folder = join(reference.files.trials, '..');
    const otherModel = await rejection(runTune(options({ outDir: folder, model: 'ple' })));
    expect(otherModel).toBeInstanceOf(ConfigError);
    expect(otherModel.message).toContain('belongs to another search (model "mmoe" there, "ple" here');
    const otherData = await rejection(runTune(options({ outDir: folder, source: { dataset: 'synthetic', maxRows: 300 } })));
    expect(otherData.message).toContain('dataset "tiny" there, "synthetic" here');
    writeFileSync(join(dir, 'a-file'), '');
    const notAFolder = await rejection(runTune(options({ outDir: join(dir, 'a-file') })));
    expect([(notAFolder as ConfigError).key, notAFolder.message.includes('cannot use')]).toEqual(['out', true]);
  });

  it('writes a best.json that ektm train --config accepts and that reproduces the winning validation score', async () => {
    const trained = await inProcessCli(dir)([
      'train',
      '--dataset',
      spec,
      '--config',
      reference.files.best!,
      '--seed',
      '1',
      '--out',
      join(dir, 'model'),
      '--quiet',
    ]);
    expect(trained.err).toBe('');
    expect(trained.code).toBe(0);
    const auc = (task: string) => Number(new RegExp(`^${task}\\s+\\S+\\s+\\d+\\s+\\d+\\s+([\\d.]+)`, 'm').exec(trained.out)![1]);
    for (const [task, metrics] of Object.entries(reference.best!.validation!)) expect(auc(task)).toBeCloseTo(metrics.auc!, 4);
  });
});
