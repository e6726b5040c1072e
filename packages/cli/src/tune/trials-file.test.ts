import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, DataError } from '@ektm/core';
import type { SearchIdentity, TrialRecord } from './trial-record.js';
import { TRIALS_FILE, TrialsFile } from './trials-file.js';

const root = mkdtempSync(join(tmpdir(), 'ektm-trials-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshDir = () => {
  const dir = join(root, `s${n++}`);
  return dir;
};

const IDENTITY: SearchIdentity = {
  dataset: {
    name: 'tiny',
    source: '/x/tiny.json',
    taskSet: 'ektm',
    maxRows: null,
    trainRows: 400,
    validationRows: 200,
    labelChecksum: 'abc',
  },
  tasks: ['click', 'cart'],
  targets: ['cart'],
  model: 'mmoe',
  space: { learningRate: { log: [1e-4, 1e-2] } },
  seed: 1,
  budgetKind: 'epochs',
  protocol: { batchSize: 128, learningRate: 3e-3, embeddingDim: 8, embeddingL2: 0, patience: 2, validationsPerEpoch: 1, maxEpochs: 100 },
};

function record(trial: number, resource = 1): TrialRecord {
  return {
    type: 'trial',
    trial,
    rung: 0,
    resource,
    config: { learningRate: 0.001 },
    status: 'ok',
    score: 0.6 + trial / 100,
    validation: { cart: { auc: 0.6, logloss: 0.3 } },
    epochs: resource,
    bestEpoch: 1,
    bestStep: 3,
    stoppedEarly: false,
    curve: [[1, 0.6]],
    seconds: 0.5,
    finishedAt: '2026-01-01T00:00:00.000Z',
  };
}

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('trials.jsonl', () => {
  it('starts with a header, appends one line per run, and reads them back', () => {
    const dir = freshDir();
    const opened = TrialsFile.open(dir, IDENTITY);
    expect(opened.records).toEqual([]);
    opened.file.append(record(0));
    opened.file.append(record(1));
    const lines = readFileSync(join(dir, TRIALS_FILE), 'utf8').split('\n');
    expect(lines).toHaveLength(4); // header, two records, and the empty text after the last newline
    expect(JSON.parse(lines[0]!)).toMatchObject({ type: 'header', format: 'ektm-trials', version: 1, identity: IDENTITY });
    const again = TrialsFile.open(dir, IDENTITY);
    expect(again.records.map((r) => r.trial)).toEqual([0, 1]);
    expect(again.droppedTruncatedLine).toBe(false);
  });

  it('refuses the trials of another search, saying what differs', () => {
    const dir = freshDir();
    TrialsFile.open(dir, IDENTITY);
    const other = { ...IDENTITY, model: 'ektm', dataset: { ...IDENTITY.dataset, name: 'census-income', labelChecksum: 'def' } };
    const error = thrown(() => TrialsFile.open(dir, other));
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).key).toBe('out');
    expect(error.message).toContain('belongs to another search');
    expect(error.message).toContain('dataset "tiny" there, "census-income" here');
    expect(error.message).toContain('model "mmoe" there, "ektm" here');
    const seed = thrown(() => TrialsFile.open(dir, { ...IDENTITY, seed: 2 }));
    expect(seed.message).toContain('seed 1 there, 2 here');
    // The space is compared by value, whatever the order of its keys.
    expect(() => TrialsFile.open(dir, { ...IDENTITY, space: { ...IDENTITY.space } })).not.toThrow();
  });

  it('drops a truncated last line (a run cut off while written) and cuts it from the file, so the run is done again', () => {
    const dir = freshDir();
    const opened = TrialsFile.open(dir, IDENTITY);
    opened.file.append(record(0));
    const path = join(dir, TRIALS_FILE);
    const intact = readFileSync(path, 'utf8');
    appendFileSync(path, JSON.stringify(record(1)).slice(0, 40));
    const again = TrialsFile.open(dir, IDENTITY);
    expect(again.droppedTruncatedLine).toBe(true);
    expect(again.records.map((r) => r.trial)).toEqual([0]);
    expect(readFileSync(path, 'utf8')).toBe(intact);
    again.file.append(record(1));
    expect(TrialsFile.open(dir, IDENTITY).records.map((r) => r.trial)).toEqual([0, 1]);
  });

  it('drops a last line that ends but does not parse (a torn write), and fails on a bad line in the middle with its line number', () => {
    const dir = freshDir();
    TrialsFile.open(dir, IDENTITY).file.append(record(0));
    const path = join(dir, TRIALS_FILE);
    appendFileSync(path, '{"type":"trial","tri\n');
    expect(TrialsFile.open(dir, IDENTITY)).toMatchObject({ droppedTruncatedLine: true, records: [{ trial: 0 }] });
    const lines = readFileSync(path, 'utf8').split('\n');
    writeFileSync(path, [lines[0], 'not json', lines[1], ''].join('\n'));
    const error = thrown(() => TrialsFile.open(dir, IDENTITY));
    expect(error).toBeInstanceOf(DataError);
    expect((error as DataError).line).toBe(2);
    expect(error.message).toContain(':2: not a JSON record');
  });

  it('refuses a file that is not a trials file', () => {
    const dir = freshDir();
    TrialsFile.open(dir, IDENTITY);
    writeFileSync(join(dir, TRIALS_FILE), '{"hello":1}\n');
    const error = thrown(() => TrialsFile.open(dir, IDENTITY));
    expect(error).toBeInstanceOf(DataError);
    expect(error.message).toContain('not the header of an ektm tune trials file');
  });
});
