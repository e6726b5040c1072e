import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/temp-dir.js';
import { DatasetError, describeInputReport, Preprocessor, loadDataset } from '../index.js';
import type { EncodedTable } from '@ektm/core';
import type { DatasetSpec } from '../index.js';

const files = tempDir();
files.write(
  'train.csv',
  ['city;age;income;clicked', 'paris;30;100;1', 'rome;40;;0', 'paris;50;300;0', 'oslo;?;400;1', 'rome;20;200;1'].join('\n'),
);
files.write('test.csv', ['city;age;income;clicked', 'lima;35;250;0', 'paris;45;?;1', 'rome;99;1000;0'].join('\n'));

const spec: DatasetSpec = {
  name: 'cities',
  format: { delimiter: ';', missing: '?' },
  files: { train: 'train.csv', validation: 'train.csv', test: 'test.csv' },
  features: [
    { column: 'city', type: 'categorical' },
    { column: 'city', name: 'city_hash', type: 'categorical', hashBuckets: 7 },
    { column: 'age', type: 'numeric', transform: 'standardise' },
    { column: 'income', type: 'numeric', transform: ['log1p', 'standardise', 'buckets'], buckets: 3 },
  ],
  tasks: [{ name: 'click', column: 'clicked' }],
};

function same(a: EncodedTable, b: EncodedTable): void {
  expect(Array.from(a.categorical)).toEqual(Array.from(b.categorical));
  expect(Array.from(a.numeric)).toEqual(Array.from(b.numeric));
  expect(Object.fromEntries(Object.entries(a.labels).map(([k, v]) => [k, Array.from(v)]))).toEqual(
    Object.fromEntries(Object.entries(b.labels).map(([k, v]) => [k, Array.from(v)])),
  );
}

describe('Preprocessor', () => {
  it('builds vocabularies and statistics from train only: a value first seen in test is out of vocabulary', async () => {
    const data = await loadDataset(spec, { baseDir: files.dir });
    const city = data.preprocessor.fittedFeatures[0]!;
    expect(city).toMatchObject({ kind: 'vocabulary', values: ['paris', 'rome', 'oslo'] });
    const test = data.splits.test!;
    expect(test.categorical[0]).toBe(0); // lima: unseen in train
    expect(test.categorical[test.categoricalCount]).toBe(1); // paris
    const age = data.preprocessor.fittedFeatures[2]!;
    // Train ages 30, 40, 50, 20 (oslo's is missing): mean 35 from train only, not from test's 35, 45, 99.
    expect(age.kind === 'numeric' && age.numeric.transforms[0]).toMatchObject({ kind: 'standardise', mean: 35 });
    expect(test.numeric[2 * test.numericCount]).toBeCloseTo((99 - 35) / Math.sqrt(125), 5);
    expect(data.splits.train.numeric[3]).toBe(0); // a missing age is the train mean, 0 once standardised
  });

  it('orders vocabularies by train count, then by value, and honours minCount', async () => {
    const data = await loadDataset({ ...spec, features: [{ column: 'city', type: 'categorical', minCount: 2 }] }, { baseDir: files.dir });
    expect(data.preprocessor.fittedFeatures[0]).toMatchObject({ values: ['paris', 'rome'] });
    expect(data.features[0]).toMatchObject({ type: 'categorical', vocabularySize: 3 });
  });

  it('round-trips through JSON and encodes raw lines and records exactly as the loader did', async () => {
    const data = await loadDataset(spec, { baseDir: files.dir });
    const restored = Preprocessor.fromJSON(JSON.parse(JSON.stringify(data.preprocessor)));
    expect(restored.features).toEqual(data.features);
    expect(restored.tasks).toEqual(data.tasks);
    const lines = ['lima;35;250;0', 'paris;45;?;1', 'rome;99;1000;0'];
    same(restored.encodeRows(lines), data.splits.test!);
    const records = [
      { city: 'lima', age: 35, income: 250, clicked: 0 },
      { city: 'paris', age: '45', income: null, clicked: 1 },
      { city: 'rome', age: 99, income: '1000', clicked: '0' },
    ];
    same(restored.encodeRows(records), data.splits.test!);
  });

  it('serves rows without labels (NaN), and names the line and column of a bad serving row', async () => {
    const data = await loadDataset(spec, { baseDir: files.dir });
    const table = data.preprocessor.encodeRows([{ city: 'oslo', age: 20, income: 10 }]);
    expect(table.rows).toBe(1);
    expect(table.labels.click![0]).toBeNaN();
    expect(table.categorical[0]).toBe(3);
    expect(() => data.preprocessor.encodeRows(['rome;old;1;0'])).toThrow('line 1: column 1 (age): "old" is not a number');
    expect(() => data.preprocessor.encodeRows([{ city: 'rome', age: 3, income: null }], { labels: 'required' })).toThrow(
      /missing label for task "click"/,
    );
    expect(() => data.preprocessor.encodeRows(['rome;1'])).toThrow(DatasetError);
  });

  it('checks records against the model: missing columns are an error (or allowed and counted), unknown columns and unseen values are reported', async () => {
    const data = await loadDataset(spec, { baseDir: files.dir });
    const p = data.preprocessor;
    // A misspelt key: the real column is missing in every row, and the misspelling is named.
    const misspelt = [
      { city: 'rome', agee: 3, income: 1 },
      { city: 'paris', agee: 4, income: 2 },
    ];
    expect(() => p.encodeRows(misspelt)).toThrow(DatasetError);
    expect(() => p.encodeRows(misspelt, { source: 'rows.csv' })).toThrow(
      "rows.csv: missing feature column(s) age (in every row); the input has columns the data does not: agee. Give every feature column (a missing value may be left empty), or encode them as missing values with { missingColumns: 'allow' } (ektm predict --allow-missing)",
    );
    expect(() =>
      p.encodeRows(
        [
          { city: 'rome', age: 3, income: 1 },
          { city: 'rome', income: 1 },
        ],
        { lines: [2, 5] },
      ),
    ).toThrow('missing feature column(s) age (in 1 of 2 rows, first at line 5)');
    const { table, report } = p.encodeRowsWithReport(misspelt, { missingColumns: 'allow' });
    expect(table.rows).toBe(2);
    expect(table.numeric[0]).toBe(0); // a missing age is the train mean: 0 once standardised
    expect(report).toEqual({ rows: 2, missingColumns: [{ column: 'age', rows: 2 }], unknownColumns: ['agee'], unseen: [] });
    // Values never seen in training are counted per feature, with their share.
    const unseen = p.encodeRowsWithReport([
      { city: 'lima', age: 1, income: 1 },
      { city: 'atlantis', age: 1, income: 1 },
      { city: 'rome', age: 1, income: 1 },
      { city: '', age: 1, income: 1 },
    ]).report;
    expect(unseen.unseen).toEqual([{ feature: 'city', rows: 2, share: 0.5 }]);
    expect(describeInputReport({ ...unseen, unknownColumns: ['x'] })).toEqual([
      'columns not used by the model (ignored): x',
      'city: 2 of 4 rows (50.0%) have a value not seen in training (encoded as unknown)',
    ]);
    // None of the model's columns (a ;-delimited file read as CSV has one column named after the whole header).
    expect(() => p.encodeRows([{ 'city;age;income': 'rome;3;1' }], { missingColumns: 'allow' })).toThrow(
      "the rows have none of the model's feature columns (city, age, income); the input has columns the data does not: city;age;income",
    );
    expect(() => p.encodeRows([], { strict: true } as never)).toThrow(
      'encodeRows: unknown option strict; options are labels, missingColumns, source, lines',
    );
    // Errors name the source and the source line, not the position in the list.
    expect(() => p.encodeRows([{ city: 'rome', age: 'old', income: 1 }], { source: 'rows.csv', lines: [7] })).toThrow(
      'rows.csv:7: column 1 (age): "old" is not a number',
    );
  });

  it('refuses JSON that is not a saved preprocessor', () => {
    expect(() => Preprocessor.fromJSON({ format: 'something' })).toThrow(/not a saved preprocessor/);
    expect(() => Preprocessor.fromJSON({ format: 'ektm-preprocessor', version: 9 })).toThrow(/unsupported preprocessor version 9/);
  });

  it('encodes key:value rows for serving by key', async () => {
    files.write('kv.txt', ['1,1,user:7,item:3,item:4', '2,0,item:3', '3,1,user:8,item:5'].join('\n'));
    const data = await loadDataset(
      {
        name: 'kv',
        format: { header: false, columns: ['id', 'click'], keyValue: { from: 2 } },
        files: { train: 'kv.txt', validation: 'kv.txt' },
        features: [
          { column: 'user', type: 'categorical' },
          { column: 'item', type: 'categorical' },
        ],
        tasks: [{ name: 'click', column: 'click' }],
      },
      { baseDir: files.dir },
    );
    const { train } = data.splits;
    same(data.preprocessor.encodeRows(['1,1,user:7,item:3,item:4', '2,0,item:3', '3,1,user:8,item:5']), train);
    same(
      data.preprocessor.encodeRows([
        { user: 7, item: 3, click: 1 },
        { item: 3, click: 0 },
        { user: '8', item: 5, click: 1 },
      ]),
      train,
    );
    expect(Array.from(train.categorical)).toEqual([1, 1, 0, 1, 2, 2]);
    expect(data.preprocessor.recordFields()).toEqual([
      { key: 'user', type: 'categorical', features: ['user'] },
      { key: 'item', type: 'categorical', features: ['item'] },
    ]);
  });

  it('lists the record keys a serving request must hold: one per column, numeric when a feature reads a number', async () => {
    const data = await loadDataset(spec, { baseDir: files.dir });
    expect(data.preprocessor.recordFields()).toEqual([
      { key: 'city', type: 'categorical', features: ['city', 'city_hash'] },
      { key: 'age', type: 'numeric', features: ['age'] },
      { key: 'income', type: 'numeric', features: ['income'] },
    ]);
    const unnamed = Preprocessor.fromJSON({
      ...data.preprocessor.toJSON(),
      input: { ...data.preprocessor.toJSON().input, columns: undefined },
    });
    expect(() => unnamed.recordFields()).toThrow(/"city" is not a column/);
  });
});
