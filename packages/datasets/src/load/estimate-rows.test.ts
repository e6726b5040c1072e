import { describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { tempDir } from '../../test/temp-dir.js';
import { estimateSplitRows } from '../index.js';
import type { DatasetSpec } from '../index.js';

const files = tempDir();
const lines = (n: number, from = 0) =>
  ['id,city,label', ...Array.from({ length: n }, (_, i) => `${from + i},c${(from + i) % 97},${i % 2}`)].join('\n');
const base = { name: 'sizes', features: [{ column: 'city', type: 'categorical' as const }], tasks: [{ name: 'label', column: 'label' }] };

describe('estimateSplitRows', () => {
  it('counts small text files exactly, and moves the rows of split rules', async () => {
    files.write('a.csv', lines(1000));
    files.write('b.csv', lines(500));
    const spec: DatasetSpec = { ...base, files: { train: ['a.csv', 'b.csv'] }, split: { test: { everyNth: 10, offset: [1, 2] } } };
    expect(await estimateSplitRows(spec, { baseDir: files.dir })).toEqual({ train: 1050, validation: 150, test: 300 });
    expect(await estimateSplitRows(spec, { baseDir: files.dir, maxRowsPerFile: 100 })).toEqual({ train: 140, validation: 20, test: 40 });
  });

  it('estimates a large gzip file from its first megabyte within 2%', async () => {
    files.writeGzip('big.csv.gz', lines(200_000));
    const estimate = await estimateSplitRows({ ...base, files: { train: 'big.csv.gz', validation: 'a.csv' } }, { baseDir: files.dir });
    expect(Math.abs(estimate.train! - 200_000) / 200_000).toBeLessThan(0.02);
  });

  it('reads Parquet row counts from the metadata, and knows no count for a query', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    for (const [i, n] of [700, 300].entries()) {
      await connection.run(
        `COPY (SELECT i AS id, 'c' || (i % 7) AS city, i % 2 AS label FROM range(${n}) t(i)) TO '${files.dir}/p-${i}.parquet' (FORMAT parquet)`,
      );
    }
    connection.closeSync();
    instance.closeSync();
    expect(await estimateSplitRows({ ...base, files: { train: 'p-*.parquet', test: 'p-1.parquet' } }, { baseDir: files.dir })).toEqual({
      train: 900,
      validation: 100,
      test: 300,
    });
    expect(
      await estimateSplitRows({ ...base, query: { train: `SELECT * FROM 'p-*.parquet'`, test: 'SELECT 1' } }, { baseDir: files.dir }),
    ).toEqual({
      train: undefined,
      validation: undefined,
      test: undefined,
    });
    expect(await estimateSplitRows('synthetic', { simulator: { trainRows: 1234 } })).toEqual({
      train: 1234,
      validation: 10_000,
      test: 20_000,
    });
  });
});
