import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { tempDir } from '../../test/temp-dir.js';
import { loadDataset, writeSimulatedDataset } from '../index.js';
import type { EncodedTable } from '@ektm/core';

const files = tempDir();
const simulator = { trainRows: 1500, validationRows: 300, testRows: 400, seed: 9 };

function same(a: EncodedTable, b: EncodedTable): void {
  expect(Array.from(a.categorical)).toEqual(Array.from(b.categorical));
  expect(Array.from(a.numeric)).toEqual(Array.from(b.numeric));
  expect(a.labels).toEqual(b.labels);
  expect(Array.from(a.groups!)).toEqual(Array.from(b.groups!));
}

async function parquetColumn(path: string, column: string): Promise<number[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(`SELECT "${column}" FROM '${path}'`);
    return reader.getRows().map((row) => Number(row[0]));
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

describe('writeSimulatedDataset', () => {
  it('writes Parquet shards and a spec.json whose load equals the in-memory simulator, with the truth beside', async () => {
    const dir = join(files.dir, 'parquet');
    const written = await writeSimulatedDataset(dir, { format: 'parquet', shards: 3, simulator, batchRows: 700 });
    expect(readdirSync(dir).sort()).toEqual([
      'simulation.json',
      'spec.json',
      'test.parquet',
      'train-0.parquet',
      'train-1.parquet',
      'train-2.parquet',
      'truth',
      'validation.parquet',
    ]);
    expect(JSON.parse(readFileSync(written.spec, 'utf8')).files).toEqual({
      train: 'train-*.parquet',
      validation: 'validation.parquet',
      test: 'test.parquet',
    });
    const memory = await loadDataset('synthetic', { simulator });
    const fromFiles = await loadDataset(written.spec);
    expect(fromFiles.preprocessor.fittedFeatures).toEqual(memory.preprocessor.fittedFeatures);
    expect(fromFiles.tasks).toEqual(memory.tasks);
    for (const split of ['train', 'validation', 'test'] as const) same(fromFiles.splits[split]!, memory.splits[split]!);
    // Shards of nearly equal size, and the truth row-aligned with the data.
    expect(await Promise.all(written.files.train.map(async (f) => (await parquetColumn(f, 'click')).length))).toEqual([500, 500, 500]);
    const truth = await parquetColumn(written.truth.test[0]!, 'purchase');
    expect(truth.map((p) => Math.fround(p))).toEqual(Array.from(memory.trueProbabilities!.test!.purchase!));
    const esmm = await loadDataset(written.spec, { taskSet: 'esmm' });
    same(esmm.splits.test!, (await loadDataset('synthetic', { simulator, taskSet: 'esmm' })).splits.test!);
  });

  it('writes CSV shards listed in the spec (read by the line reader), and a rerun keeps the finished files', async () => {
    const dir = join(files.dir, 'csv');
    const lines: string[] = [];
    const first = await writeSimulatedDataset(dir, { format: 'csv', shards: 2, simulator, log: (l) => lines.push(l) });
    expect(JSON.parse(readFileSync(first.spec, 'utf8')).files.train).toEqual(['train-0.csv', 'train-1.csv']);
    expect(readFileSync(first.files.train[1]!, 'utf8').split('\n')[0]).toBe(
      'user_id,user_segment,user_activity,item_id,item_category,item_brand,item_price,hour,device,position,click,purchase,cart,favorite',
    );
    expect(readFileSync(first.truth.train[0]!, 'utf8').split('\n')[0]).toBe('click,purchase,cart,favorite');
    const memory = await loadDataset('synthetic', { simulator });
    same((await loadDataset(first.spec)).splits.train, memory.splits.train);
    expect(lines.filter((l) => l.startsWith('wrote'))).toHaveLength(5);
    const again = await writeSimulatedDataset(dir, { format: 'csv', shards: 2, simulator });
    expect(again.kept).toBe(4);
    const other = await writeSimulatedDataset(dir, { format: 'csv', shards: 2, simulator: { ...simulator, seed: 10 } });
    expect(other.kept).toBe(0);
  });
});
