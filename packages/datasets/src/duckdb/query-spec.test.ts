import { describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { tempDir } from '../../test/temp-dir.js';
import { DatasetError, describeDataset, fitPreprocessor, loadDataset, streamSource, validateDatasetSpec } from '../index.js';
import type { DatasetSpec } from '../index.js';
import type { EncodedTable } from '@ektm/core';

const files = tempDir();
const folder = join(files.dir, 'warehouse');
mkdirSync(folder);

/** Events (impressions with click and buy), users and items, as a warehouse would keep them. */
const users = Array.from({ length: 30 }, (_, u) => ({ user: u, segment: `s${u % 4}` }));
const events = Array.from({ length: 400 }, (_, i) => {
  const click = (i * 7) % 3 === 0 ? 1 : 0;
  return {
    id: i,
    user: (i * 13) % 30,
    item: `i${(i * 5) % 17}`,
    price: ((i * 37) % 100) / 4,
    day: i % 30,
    click,
    buy: click && i % 4 === 0 ? 1 : 0,
  };
});

async function writeWarehouse(): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const values = (rows: Array<Record<string, unknown>>) =>
    rows
      .map(
        (r) =>
          `(${Object.values(r)
            .map((v) => (typeof v === 'string' ? `'${v}'` : String(v)))
            .join(', ')})`,
      )
      .join(', ');
  try {
    await connection.run(`CREATE TABLE users (user INTEGER, segment VARCHAR)`);
    await connection.run(`INSERT INTO users VALUES ${values(users)}`);
    await connection.run(
      `CREATE TABLE events (id INTEGER, user INTEGER, item VARCHAR, price DECIMAL(6, 2), day INTEGER, click INTEGER, buy INTEGER)`,
    );
    await connection.run(`INSERT INTO events VALUES ${values(events)}`);
    await connection.run(`COPY users TO '${folder}/users.parquet' (FORMAT parquet)`);
    await connection.run(`COPY (SELECT * FROM events WHERE id < 200) TO '${folder}/events-1.parquet' (FORMAT parquet)`);
    await connection.run(`COPY (SELECT * FROM events WHERE id >= 200) TO '${folder}/events-2.parquet' (FORMAT parquet)`);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
const ready = writeWarehouse();

/** Features and labels derived in SQL: a join for the user's segment, a cast, and `click AND buy` as the CTCVR label. */
const select = `SELECT e.item, u.segment, CAST(e.price AS DOUBLE) AS price, e.click, e.click::BOOLEAN AND e.buy::BOOLEAN AS ctcvr, e.user
  FROM 'events-*.parquet' e JOIN 'users.parquet' u USING (user)`;
const spec: DatasetSpec = {
  name: 'warehouse',
  query: {
    train: `${select} WHERE e.day < 24 ORDER BY e.id`,
    test: `${select} WHERE e.day >= 24 ORDER BY e.id;`,
  },
  split: { validation: { everyNth: 6, offset: 0 } },
  group: 'user',
  features: [
    { column: 'item', type: 'categorical' },
    { column: 'segment', type: 'categorical' },
    { column: 'price', type: 'numeric', transform: 'standardise' },
  ],
  tasks: [
    { name: 'click', column: 'click' },
    { name: 'ctcvr', column: 'ctcvr' },
  ],
};
/** The spec as a file beside the data: relative paths in its queries resolve against its folder, not the working directory. */
const specPath = () => files.write('warehouse/spec.json', JSON.stringify(spec));

async function failure(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  return error as Error;
}

function column(table: EncodedTable, label: string): number[] {
  return Array.from(table.labels[label]!);
}

describe('a SQL query per split, run by DuckDB', () => {
  it('derives features and labels in SQL (join, cast, click AND buy) and splits the ordered rows by rule', async () => {
    await ready;
    const data = await loadDataset(specPath());
    const train = events.filter((e) => e.day < 24);
    const test = events.filter((e) => e.day >= 24);
    const kept = train.filter((_, i) => i % 6 !== 0);
    const validation = train.filter((_, i) => i % 6 === 0);
    expect([data.splits.train.rows, data.splits.validation.rows, data.splits.test!.rows]).toEqual([
      kept.length,
      validation.length,
      test.length,
    ]);
    expect(column(data.splits.train, 'click')).toEqual(kept.map((e) => e.click));
    expect(column(data.splits.train, 'ctcvr')).toEqual(kept.map((e) => e.click * e.buy));
    expect(column(data.splits.test!, 'ctcvr')).toEqual(test.map((e) => e.click * e.buy));
    const segment = data.preprocessor.fittedFeatures[1] as { kind: string; values: string[] };
    expect([segment.kind, [...segment.values].sort()]).toEqual(['vocabulary', ['s0', 's1', 's2', 's3']]);
    const price = data.preprocessor.fittedFeatures[2] as { numeric: { transforms: Array<{ mean: number }> } };
    const mean = kept.reduce((s, e) => s + e.price, 0) / kept.length;
    expect(price.numeric.transforms[0]!.mean).toBeCloseTo(mean, 10);
  });

  it('streams a split of the query, fitting the preprocessor in one pass, exactly as the load', async () => {
    await ready;
    const path = specPath();
    const data = await loadDataset(path);
    const fitted = await fitPreprocessor(path);
    expect(fitted.toJSON()).toEqual(data.preprocessor.toJSON());
    const chunks: EncodedTable[] = [];
    for await (const chunk of streamSource(path, 'test', { chunkRows: 16 }).chunks()) chunks.push(chunk);
    expect(chunks.flatMap((c) => column(c, 'ctcvr'))).toEqual(column(data.splits.test!, 'ctcvr'));
    expect(describeDataset(path).queries?.train).toBe(spec.query!.train);
  });

  describe('bad inputs', () => {
    it('a syntax error names the spec file and the split', async () => {
      const path = files.write('warehouse/syntax.json', JSON.stringify({ ...spec, query: { train: 'SELEKT item FROM events' } }));
      const e = await failure(loadDataset(path));
      expect(e).toBeInstanceOf(DatasetError);
      expect(e.message).toMatch(/^syntax\.json#query\.train: DuckDB could not read it: .*Parser Error: syntax error at or near/);
    });

    it('a query without a column the spec names lists the columns it has', async () => {
      await ready;
      const path = files.write(
        'warehouse/columns.json',
        JSON.stringify({ ...spec, query: { train: `SELECT item, click, user FROM 'events-*.parquet'` } }),
      );
      const e = (await failure(loadDataset(path))) as DatasetError;
      expect(e.message).toBe(
        'columns.json#query.train: features[1].column: "segment" is not a column of columns.json#query.train; columns are item, click, user',
      );
    });

    it('a derived label that is not 0/1, by query row and column', async () => {
      await ready;
      const bad = {
        ...spec,
        query: {
          train: `SELECT item, 's' AS segment, 1.0 AS price, click + buy AS click, 0 AS ctcvr, user FROM 'events-*.parquet' ORDER BY id`,
        },
      };
      const path = files.write('warehouse/label.json', JSON.stringify(bad));
      const e = (await failure(loadDataset(path))) as DatasetError;
      const first = events.findIndex((x) => x.click + x.buy === 2);
      expect(e.message).toBe(`label.json#query.train row ${first + 1}: column 3 (click): "2" is not a 0/1 label (label of task "click")`);
    });

    it('a table the query reads that does not exist', async () => {
      const path = files.write('warehouse/missing.json', JSON.stringify({ ...spec, query: { train: `SELECT * FROM 'nowhere.parquet'` } }));
      const e = await failure(loadDataset(path));
      expect(e.message).toMatch(
        /^missing\.json#query\.train: DuckDB could not read it: IO Error: No files found that match the pattern "nowhere\.parquet"/,
      );
    });

    it('spec mistakes name the key', () => {
      const { query, ...rest } = spec;
      const cases: Array<[unknown, string]> = [
        [{ ...spec, files: { train: 'a.parquet' } }, 'query: give either files or query, not both'],
        [
          { ...rest, query: { train: 'SELECT 1', valid: 'SELECT 2' } },
          'query.valid: unknown key; allowed keys are train, validation, test',
        ],
        [{ ...rest, query: { test: 'SELECT 1' } }, 'query.train: is required'],
        [{ ...rest, query: { train: '' } }, 'query.train: must be a non-empty string, not ""'],
        [
          { ...rest, query: { ...query, validation: 'SELECT 1' } },
          'split.validation: query.validation is also given; use one or the other',
        ],
        [
          { ...rest, query: { train: 'SELECT 1' }, split: { test: { from: 'validation', everyNth: 2, offset: 0 } } },
          'split.test.from: "validation" has no query (query.validation)',
        ],
        [
          { ...rest, query, format: { header: false, keyValue: { from: 1 } } },
          'format.keyValue: applies to text files read line by line, not to a query (read through DuckDB)',
        ],
      ];
      for (const [value, message] of cases) expect(() => validateDatasetSpec(value), message).toThrow(message);
    });
  });
});
