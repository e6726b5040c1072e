import { describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { tempDir } from '../../test/temp-dir.js';
import { Prng } from '../random/prng.js';
import { DatasetError, fitPreprocessor, loadDataset, streamSource } from '../index.js';
import type { DatasetSpec } from '../index.js';
import type { EncodedTable } from '@ektm/core';

const files = tempDir();

/** Runs SQL in a throwaway DuckDB (the test's own, to write Parquet and JSON fixtures). */
async function sql(statement: string): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await connection.run(statement);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** Writes CSV text as a Parquet file with typed columns (DuckDB's CSV sniffer picks the types). */
async function parquetFrom(csvName: string, parquetName: string): Promise<void> {
  await sql(`COPY (SELECT * FROM read_csv('${files.dir}/${csvName}')) TO '${files.dir}/${parquetName}' (FORMAT parquet)`);
}

const prng = new Prng(11);
const header = 'user,price,device,click';
const rows: string[] = [];
for (let i = 0; i < 900; i++) {
  const price = prng.next() < 0.05 ? '' : (Math.exp(prng.gaussian()) * 10).toFixed(2);
  rows.push(`u${prng.int(40)},${price},${['mobile', 'desktop'][prng.int(2)]},${prng.next() < 0.3 ? 1 : 0}`);
}
const shards = [rows.slice(0, 300), rows.slice(300, 650), rows.slice(650, 800)];
const test = rows.slice(800);

const features: DatasetSpec['features'] = [
  { column: 'user', type: 'categorical' },
  { column: 'price', type: 'numeric', transform: ['log1p', 'standardise'] },
  { column: 'device', type: 'categorical' },
];
const base = { features, group: 'user', tasks: [{ name: 'click', column: 'click' }] };

/** The same rows as text shards (the line reader) and as Parquet shards (DuckDB through a glob). */
const csvSpec: DatasetSpec = {
  name: 'shards',
  files: { train: ['shard-0.csv', 'shard-1.csv', 'shard-2.csv'], test: 'test.csv' },
  split: { validation: { everyNth: 7, offset: 2 } },
  ...base,
};
const parquetSpec: DatasetSpec = { ...csvSpec, files: { train: 'shard-*.parquet', test: 'test.parquet' } };

async function writeShards(): Promise<void> {
  for (const [i, shard] of shards.entries()) {
    files.write(`shard-${i}.csv`, [header, ...shard].join('\n'));
    await parquetFrom(`shard-${i}.csv`, `shard-${i}.parquet`);
  }
  files.write('test.csv', [header, ...test].join('\n'));
  await parquetFrom('test.csv', 'test.parquet');
}
const ready = writeShards();

async function collect(chunks: AsyncIterable<EncodedTable>): Promise<EncodedTable[]> {
  const out: EncodedTable[] = [];
  for await (const chunk of chunks) out.push(chunk);
  return out;
}

/** Every row of some tables as text, for comparing streams with loads. */
function rowKeys(tables: EncodedTable[]): string[] {
  const keys: string[] = [];
  for (const t of tables) {
    for (let r = 0; r < t.rows; r++) {
      const cat = Array.from(t.categorical.subarray(r * t.categoricalCount, (r + 1) * t.categoricalCount));
      const num = Array.from(t.numeric.subarray(r * t.numericCount, (r + 1) * t.numericCount));
      keys.push(JSON.stringify([cat, num, t.labels.click![r], t.groups?.[r]]));
    }
  }
  return keys;
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  return error as Error;
}

describe('a glob of Parquet shards, read through DuckDB', () => {
  it('loads exactly what the line reader loads from the same rows as CSV: tables, split rule, preprocessor', async () => {
    await ready;
    const csv = await loadDataset(csvSpec, { baseDir: files.dir });
    const parquet = await loadDataset(parquetSpec, { baseDir: files.dir });
    expect(parquet.preprocessor.fittedFeatures).toEqual(csv.preprocessor.fittedFeatures);
    for (const split of ['train', 'validation', 'test'] as const) {
      expect(rowKeys([parquet.splits[split]!])).toEqual(rowKeys([csv.splits[split]!]));
    }
    expect([parquet.splits.train.rows, parquet.splits.validation.rows, parquet.splits.test!.rows]).toEqual([686, 114, 100]);
    // Parquet has columns by name and type; the saved input names them for serving records.
    expect(parquet.preprocessor.toJSON().input.columns).toEqual(['user', 'price', 'device', 'click']);
  });

  it('streams the same rows in chunks and fits the same preprocessor in one pass', async () => {
    await ready;
    const csv = await loadDataset(csvSpec, { baseDir: files.dir });
    expect((await fitPreprocessor(parquetSpec, { baseDir: files.dir })).toJSON().features).toEqual(csv.preprocessor.toJSON().features);
    const source = streamSource(parquetSpec, 'train', { baseDir: files.dir, preprocessor: csv.preprocessor, chunkRows: 128 });
    const chunks = await collect(source.chunks());
    expect(chunks.slice(0, -1).every((c) => c.rows === 128)).toBe(true);
    expect(rowKeys(chunks)).toEqual(rowKeys([csv.splits.train]));
    const shuffled = rowKeys(await collect(source.chunks({ shuffleSeed: 4 })));
    expect(shuffled).not.toEqual(rowKeys(chunks));
    expect([...shuffled].sort()).toEqual(rowKeys(chunks).sort());
  });

  it('reads a glob of CSV shards through DuckDB as the line reader reads the list', async () => {
    await ready;
    const csv = await loadDataset(csvSpec, { baseDir: files.dir });
    const globbed = await loadDataset({ ...csvSpec, files: { train: 'shard-?.csv', test: 'test.csv' } }, { baseDir: files.dir });
    expect(rowKeys([globbed.splits.train])).toEqual(rowKeys([csv.splits.train]));
    expect(globbed.preprocessor.fittedFeatures).toEqual(csv.preprocessor.fittedFeatures);
  });

  it('reads JSON lines, with booleans as 0/1 labels', async () => {
    files.write(
      'events.jsonl',
      ['{"user":"a","price":1.5,"device":"mobile","click":true}', '{"user":"b","price":null,"device":"desktop","click":false}'].join('\n'),
    );
    const data = await loadDataset(
      { ...csvSpec, files: { train: 'events.jsonl', validation: 'events.jsonl' }, split: undefined },
      { baseDir: files.dir },
    );
    expect(Array.from(data.splits.train.labels.click!)).toEqual([1, 0]);
    expect(data.preprocessor.fittedFeatures[0]).toMatchObject({ values: ['a', 'b'] });
  });

  describe('bad inputs: each error names the file (the shard) and the column', () => {
    it('a pattern that matches no file', async () => {
      const e = await failure(loadDataset({ ...parquetSpec, files: { train: 'nothing-*.parquet' } }, { baseDir: files.dir }));
      expect(e).toBeInstanceOf(DatasetError);
      expect(e.message).toBe(`nothing-*.parquet: no file matches ${files.dir}/nothing-*.parquet`);
    });

    it('a missing file', async () => {
      const e = await failure(loadDataset({ ...parquetSpec, files: { train: 'gone.parquet' } }, { baseDir: files.dir }));
      expect(e.message).toBe('gone.parquet: file not found');
    });

    it('a shard without a column the spec names', async () => {
      await ready;
      await sql(`COPY (SELECT user, device, click FROM '${files.dir}/shard-1.parquet') TO '${files.dir}/cut-1.parquet' (FORMAT parquet)`);
      await sql(`COPY (SELECT * FROM '${files.dir}/shard-0.parquet') TO '${files.dir}/cut-0.parquet' (FORMAT parquet)`);
      const e = (await failure(loadDataset({ ...parquetSpec, files: { train: 'cut-*.parquet' } }, { baseDir: files.dir }))) as DatasetError;
      expect(e.message).toBe(
        'cut-1.parquet: features[1].column: "price" is not a column of cut-1.parquet; columns are user, device, click',
      );
      expect(e.key).toBe('features[1].column');
    });

    it('a label that is not 0/1, by shard, row and column', async () => {
      await ready;
      await sql(
        `COPY (SELECT user, price, device, CASE WHEN row_number() OVER () = 3 THEN 2 ELSE click END AS click FROM '${files.dir}/shard-1.parquet') TO '${files.dir}/label-1.parquet' (FORMAT parquet)`,
      );
      await sql(`COPY (SELECT * FROM '${files.dir}/shard-0.parquet') TO '${files.dir}/label-0.parquet' (FORMAT parquet)`);
      const e = (await failure(
        loadDataset({ ...parquetSpec, files: { train: 'label-*.parquet' } }, { baseDir: files.dir }),
      )) as DatasetError;
      expect(e.message).toBe('label-1.parquet row 3: column 3 (click): "2" is not a 0/1 label (label of task "click")');
      expect([e.rowNumber, e.row, e.columnName]).toEqual([3, 2, 'click']);
      const skipped = await loadDataset({ ...parquetSpec, files: { train: 'label-*.parquet' } }, { baseDir: files.dir, maxBadRows: 1 });
      expect(skipped.badRows.count).toBe(1);
    });

    it('a text value in a numeric column, and a nested value', async () => {
      await sql(
        `COPY (SELECT 'a' AS user, 'cheap' AS price, [1, 2] AS device, 1 AS click) TO '${files.dir}/types.parquet' (FORMAT parquet)`,
      );
      const types: DatasetSpec = { ...parquetSpec, files: { train: 'types.parquet', validation: 'types.parquet' }, split: undefined };
      const nested = await failure(loadDataset(types, { baseDir: files.dir }));
      expect(nested.message).toBe(
        'types.parquet: column 2 (device): has type INTEGER[], which is not one value; turn it into a number or text in a query',
      );
      const text = await failure(loadDataset({ ...types, features: features!.slice(0, 2) }, { baseDir: files.dir }));
      expect(text.message).toBe('types.parquet row 1: column 1 (price): "cheap" is not a number');
    });

    it('a corrupt Parquet file', async () => {
      files.write('corrupt.parquet', 'PAR1 this is not parquet');
      const e = await failure(loadDataset({ ...parquetSpec, files: { train: 'corrupt.parquet' } }, { baseDir: files.dir }));
      expect(e).toBeInstanceOf(DatasetError);
      expect(e.message).toMatch(/^corrupt\.parquet: DuckDB could not read it: /);
    });

    it('key:value rows cannot be read through DuckDB', () => {
      expect(() => streamSource({ ...parquetSpec, format: { header: false, keyValue: { from: 1 } } }, 'train')).toThrow(
        'format.keyValue: applies to text files read line by line, not to Parquet, JSON or glob file entries (read through DuckDB)',
      );
    });
  });
});
