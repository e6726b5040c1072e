/**
 * `withoutTest`: model selection (`ektm tune`) loads train and validation only. The test rows are never read (a test
 * file that does not exist or is garbage does not matter), and train and validation are encoded exactly as in a
 * full load.
 */
import { describe, expect, it } from 'vitest';
import type { EncodedTable } from '@ektm/core';
import { tempDir } from '../../test/temp-dir.js';
import { loadDataset } from '../index.js';

const files = tempDir();
const lines = ['user,item,price,clicked'];
for (let i = 0; i < 400; i++) lines.push(`u${i % 37},i${(i * 7) % 53},${(i % 11) + 0.5},${i % 3 === 0 ? 1 : 0}`);
files.write('rows.csv', `${lines.join('\n')}\n`);
// A test file that would fail to parse (wrong field count on every line): loading it is an error.
files.write('broken-test.csv', 'user,item,price,clicked\nthis line has one field\n');

const features = [
  { column: 'user', type: 'categorical' },
  { column: 'item', type: 'categorical' },
  { column: 'price', type: 'numeric', transform: 'standardise' },
];
const tasks = [{ name: 'click', column: 'clicked' }];

function sameTable(a: EncodedTable, b: EncodedTable): void {
  expect(a.rows).toBe(b.rows);
  expect(Array.from(a.categorical)).toEqual(Array.from(b.categorical));
  expect(Array.from(a.numeric)).toEqual(Array.from(b.numeric));
  expect(Object.fromEntries(Object.entries(a.labels).map(([k, v]) => [k, Array.from(v)]))).toEqual(
    Object.fromEntries(Object.entries(b.labels).map(([k, v]) => [k, Array.from(v)])),
  );
}

describe('loadDataset({ withoutTest: true })', () => {
  it('drops the rows a split rule sends to test, and encodes train and validation as a full load does', async () => {
    const spec = files.writeJson('ruled.json', {
      name: 'ruled',
      files: { train: 'rows.csv' },
      split: { validation: { from: 'train', everyNth: 5, offset: 3 }, test: { from: 'train', everyNth: 5, offset: 4 } },
      features,
      tasks,
    });
    const full = await loadDataset(spec);
    const selection = await loadDataset(spec, { withoutTest: true });
    expect(full.splits.test!.rows).toBe(80);
    expect(selection.splits.test).toBeUndefined();
    sameTable(selection.splits.train, full.splits.train);
    sameTable(selection.splits.validation, full.splits.validation);
    expect(selection.features).toEqual(full.features);
  });

  it('never opens the test files: a broken or missing test file does not matter', async () => {
    const broken = files.writeJson('broken.json', {
      name: 'broken',
      files: { train: 'rows.csv', test: 'broken-test.csv' },
      features,
      tasks,
    });
    await expect(loadDataset(broken)).rejects.toThrow(/broken-test\.csv/);
    const selection = await loadDataset(broken, { withoutTest: true });
    expect(selection.splits.test).toBeUndefined();
    expect(selection.splits.train.rows + selection.splits.validation.rows).toBe(400);
    const missing = files.writeJson('missing.json', {
      name: 'missing',
      files: { train: 'rows.csv', test: 'nowhere.csv' },
      features,
      tasks,
    });
    expect((await loadDataset(missing, { withoutTest: true })).splits.train.rows).toBe(360);
  });

  it('simulates the same train and validation rows without adding test rows', async () => {
    const simulator = { seed: 4, trainRows: 300, validationRows: 150, testRows: 5000 };
    const full = await loadDataset('synthetic', { simulator });
    const selection = await loadDataset('synthetic', { simulator, withoutTest: true });
    expect(selection.splits.test).toBeUndefined();
    expect(selection.optimalAuc?.test).toBeUndefined();
    expect(selection.optimalAuc?.validation).toEqual(full.optimalAuc?.validation);
    sameTable(selection.splits.train, full.splits.train);
    sameTable(selection.splits.validation, full.splits.validation);
  });
});
