/**
 * Data larger than the memory budget, end to end on a tiny simulated set written by `ektm datasets simulate`:
 * train streams (and learns what the in-memory run learns from the same rows), evaluate streams and agrees with the
 * in-memory evaluation, predict streams Parquet shards in and out, compare streams.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import type { CompareResult } from '../compare/compare-result.js';
import { parseMemoryBudget } from '../data/memory-budget.js';
import { inProcessCli, scratchFolder } from '../testing/cli-harness.js';

const dir = scratchFolder('ektm-streaming-');
const cli = inProcessCli(dir);

async function parquetRows(path: string): Promise<number[][]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    return (await connection.runAndReadAll(`SELECT * FROM '${path}'`)).getRows().map((row) => row.map(Number));
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

async function duckdb(sql: string): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await connection.run(sql);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

const sizes = ['--train-rows', '3000', '--validation-rows', '600', '--test-rows', '800', '--seed', '5'];
const training = ['--model', 'mmoe', '--epochs', '1', '--batch-size', '256', '--quiet'];
/** About 0.6 MB of encoded rows in all: a 0.2 MB budget streams them, the default loads them. */
const small = ['--memory-budget', '0.2MB'];

describe('data larger than --memory-budget', () => {
  it('simulate writes Parquet shards and CSV; train streams and matches the CSV run of the same rows', async () => {
    const parquet = await cli(['datasets', 'simulate', '--out', 'sim', ...sizes, '--shards', '3']);
    expect(parquet.code).toBe(0);
    expect(parquet.out).toBe(
      `3000 train rows in 3 file(s), 600 validation and 800 test rows in ${join(dir, 'sim')}\nspec: ${join(dir, 'sim', 'spec.json')}\n`,
    );
    expect((await cli(['datasets', 'simulate', '--out', 'sim-csv', '--format', 'csv', ...sizes, '--shards', '3'])).code).toBe(0);

    const streamed = await cli(['train', '--dataset', 'sim/spec.json', '--out', 'models/streamed', ...training, ...small]);
    expect(streamed.code).toBe(0);
    const csv = await cli(['train', '--dataset', 'sim-csv/spec.json', '--out', 'models/csv', ...training, ...small]);
    expect(csv.code).toBe(0);
    // The same rows through the same shuffle buffer: the Parquet (DuckDB) and CSV (line reader) runs are the same run.
    expect(streamed.out.replace(/saved to \S+/, '')).toBe(csv.out.replace(/saved to \S+/, ''));
    const loud = await cli(['train', '--dataset', 'sim/spec.json', '--out', 'models/loud', ...training.slice(0, -1), ...small]);
    expect(loud.err).toMatch(
      /^simulated-3000: streaming from disk \(about 792 kB in memory, over the 200 kB budget\); ~3,000 train, ~600 validation, ~800 test rows\n/,
    );

    const streamedTest = JSON.parse(
      (await cli(['evaluate', '--model', 'models/streamed', '--dataset', 'sim/spec.json', '--json', ...small])).out,
    );
    const memoryTest = JSON.parse((await cli(['evaluate', '--model', 'models/streamed', '--dataset', 'sim/spec.json', '--json'])).out);
    const csvTest = JSON.parse((await cli(['evaluate', '--model', 'models/csv', '--dataset', 'sim-csv/spec.json', '--json'])).out);
    expect(streamedTest.rows).toBe(800);
    expect(streamedTest.tasks).toEqual(memoryTest.tasks);
    expect(streamedTest.tasks.click.auc).toBe(csvTest.tasks.click.auc);
  });

  it('predict streams a glob of Parquet shards to Parquet, row for row as the CSV path scores them', async () => {
    const out = await cli(['predict', '--model', 'models/streamed', '--input', 'sim/train-*.parquet', '--output', 'out/scores.parquet']);
    expect(out.code).toBe(0);
    expect(out.err).toBe(`wrote 3000 rows × 4 tasks to ${join(dir, 'out/scores.parquet')}\n`);
    const scores = await parquetRows(join(dir, 'out/scores.parquet'));
    expect(scores).toHaveLength(3000);
    const viaCsv = await cli(['predict', '--model', 'models/streamed', '--input', 'sim-csv/train-1.csv']);
    const csvLines = viaCsv.out.trim().split('\n');
    expect(csvLines[0]).toBe('click,purchase,cart,favorite');
    expect(csvLines.slice(1).map((l) => l.split(',').map(Number))).toEqual(
      scores.slice(1000, 2000).map((row) => row.map((p) => Number(p.toPrecision(6)))),
    );
    const missing = await cli(['predict', '--model', 'models/streamed', '--input', 'nothing/*.parquet', '--output', 'out/none.parquet']);
    expect(missing.code).toBe(3);
    expect(missing.err).toContain(`*.parquet: no file matches ${join(dir, 'nothing/*.parquet')}`);
  });

  it('predict checks streamed input against the model as it checks CSV: missing feature columns, unused columns, no labels needed', async () => {
    const cut = join(dir, 'cut.parquet');
    await duckdb(
      `COPY (SELECT * EXCLUDE (device, click, purchase, cart, favorite), 1 AS extra FROM '${join(dir, 'sim/test.parquet')}') TO '${cut}' (FORMAT parquet)`,
    );
    const strict = await cli(['predict', '--model', 'models/streamed', '--input', 'cut.parquet', '--output', 'out/cut.csv']);
    expect(strict.code).not.toBe(0);
    expect(strict.err).toContain('cut.parquet: missing feature column(s) device; the input has columns the data does not: extra.');
    expect(strict.err).toContain('(ektm predict --allow-missing)');
    const allowed = await cli([
      'predict',
      '--model',
      'models/streamed',
      '--input',
      'cut.parquet',
      '--output',
      'out/cut.csv',
      '--allow-missing',
    ]);
    expect(allowed.code, allowed.err).toBe(0);
    expect(allowed.err).toContain('predict: columns not used by the model (ignored): extra\n');
    expect(allowed.err).toContain(
      'predict: column device is missing in 800 of 800 rows; its feature is encoded as a missing value there\n',
    );
    expect(allowed.err).toContain(`wrote 800 rows × 4 tasks to ${join(dir, 'out/cut.csv')}\n`);
    expect(readFileSync(join(dir, 'out/cut.csv'), 'utf8').trim().split('\n')).toHaveLength(801);
  });

  it('compare streams train and test, and scores the test split once', async () => {
    const compared = await cli([
      'compare',
      '--dataset',
      'sim/spec.json',
      '--models',
      'mmoe',
      '--seeds',
      '0',
      '--epochs',
      '1',
      '--json',
      'out/compare.json',
      '--quiet',
      ...small,
    ]);
    expect(compared.code).toBe(0);
    const result = JSON.parse(readFileSync(join(dir, 'out/compare.json'), 'utf8')) as CompareResult;
    expect(result.splits).toEqual({ train: 3000, validation: 600, test: 800 });
    expect(result.results[0]!.tasks.click!.count).toBe(800);
  });

  it('reads --memory-budget sizes and rejects bad ones', () => {
    expect([parseMemoryBudget('train', '512MB'), parseMemoryBudget('train', '2GiB'), parseMemoryBudget('train', '1.5g')]).toEqual([
      512e6,
      2 ** 31,
      1.5e9,
    ]);
    expect(parseMemoryBudget('train', undefined)).toBe(1e9);
    expect(() => parseMemoryBudget('train', 'lots')).toThrow(
      'ektm train: --memory-budget "lots" is not allowed; use a size of at least 1kB such as 512MB, 4GB or 2GiB',
    );
  });
});
