import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, DataError } from '@ektm/core';
import { afterAll, describe, expect, it } from 'vitest';
import type { CompareRun } from './compare-result.js';
import { RunProgress } from './run-progress.js';
import { comparisonKey, RunStore, runsFileFor } from './run-store.js';

const dir = mkdtempSync(join(tmpdir(), 'ektm-run-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (model: string, seed: number): CompareRun => ({
  model,
  seed,
  epochs: 1,
  bestEpoch: 1,
  trainSeconds: 1,
  trainSamplesPerSec: 100,
  parameters: 10,
  tasks: { click: { auc: 0.6, logloss: 0.5 } },
  curves: [],
  diagnostics: [],
});

describe('RunStore', () => {
  const key = comparisonKey({ dataset: 'synthetic', epochs: 3, models: ['a'], seeds: [0], log: () => 0, loaded: {}, taskSet: undefined }, [
    'models',
    'seeds',
  ]);

  it('keys a comparison by its protocol, not by its models, seeds, callbacks or loaded data', () => {
    expect(key).toEqual({ dataset: 'synthetic', epochs: 3 });
    expect(runsFileFor([undefined, '/o/report.html'])).toBe('/o/report.runs.jsonl');
    expect(runsFileFor(['/o/compare.json', '/o/r.html'])).toBe('/o/compare.runs.jsonl');
    expect(runsFileFor([undefined])).toBeUndefined();
  });

  it('writes every run as it finishes and gives them back on --resume', () => {
    const path = join(dir, 'a.runs.jsonl');
    const store = RunStore.open(path, key, false);
    store.append(run('mmoe', 0));
    store.append(run('mmoe', 1));
    store.append({ ...run('mmoe', 1), epochs: 2 }); // a rerun replaces the earlier one
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(JSON.parse(lines[0]!)).toEqual({ format: 'ektm-compare-runs', version: 1, comparison: key });
    const resumed = RunStore.open(path, key, true);
    expect(resumed.finished.map((r) => `${r.model}#${r.seed}:${r.epochs}`)).toEqual(['mmoe#0:1', 'mmoe#1:2']);
    // Starting over does not read the file; the first new run replaces it.
    const fresh = RunStore.open(path, key, false);
    expect(fresh.finished).toEqual([]);
    fresh.append(run('ple', 0));
    expect(readFileSync(path, 'utf8').trim().split('\n')).toHaveLength(2);
  });

  it('refuses to resume another comparison, a missing file or a damaged one, naming the file', () => {
    const path = join(dir, 'b.runs.jsonl');
    expect(() => RunStore.open(path, key, true)).toThrow(ConfigError);
    expect(() => RunStore.open(path, key, true)).toThrow(`--resume: there is no runs file ${path} to resume from`);
    RunStore.open(path, key, false).append(run('mmoe', 0));
    expect(() => RunStore.open(path, { ...key, epochs: 1 }, true)).toThrow(
      `${path} holds runs of another comparison: epochs 1 (the runs file has 3); resume with the same options`,
    );
    writeFileSync(path, `${readFileSync(path, 'utf8')}{"model": "ple", "seed"\n`);
    expect(() => RunStore.open(path, key, true)).toThrow(DataError);
    expect(() => RunStore.open(path, key, true)).toThrow(`${path}:3: not a JSON line of a runs file`);
    writeFileSync(path, '{"format": "other"}\n');
    expect(() => RunStore.open(path, key, true)).toThrow(`${path}:1: not a runs file of ektm compare`);
  });
});

describe('RunProgress', () => {
  it('says run k of N and the time left from the runs timed so far, per model', () => {
    const lines: string[] = [];
    const progress = new RunProgress(5, ['mmoe', 'mmoe', 'ple', 'ple'], (l) => lines.push(l), 1);
    progress.start('mmoe', 0, 0);
    progress.end('mmoe', 10_000); // mmoe: 10 s
    progress.start('mmoe', 1, 10_000);
    progress.end('mmoe', 30_000); // mmoe: 20 s, mean 15
    progress.start('ple', 0, 30_000); // ple unknown: the mean of every run so far (15 s) for both ple runs
    expect(lines).toEqual([
      'run 2 of 5: mmoe seed 0 (1 done)',
      'run 3 of 5: mmoe seed 1 (2 done, about 0:30 left)',
      'run 4 of 5: ple seed 0 (3 done, about 0:30 left)',
    ]);
    progress.end('ple', 33_000);
    expect(progress.secondsLeft()).toBe(3);
  });
});
