import { describe, expect, it } from 'vitest';
import { createReadStream } from 'node:fs';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { sharedData } from '@ektm/testing';
import { Preprocessor, describeDataset, loadDataset } from '../index.js';
import type { LoadedDataset } from '../index.js';

const census = sharedData('census-income-kdd/census-income.test.gz');
const dataDir = census ? dirname(dirname(census)) : '';

/** The first `n` raw lines of a gzip file. */
async function firstLines(path: string, n: number): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of createInterface({ input: createReadStream(path).pipe(createGunzip()) })) {
    lines.push(line);
    if (lines.length === n) break;
  }
  return lines;
}

/** Positive rate in % over all three splits, rounded to 2 decimals as the README lists it. */
function ratePercent(data: LoadedDataset, task: string): number {
  let positives = 0;
  let rows = 0;
  for (const table of [data.splits.train, data.splits.validation, data.splits.test!]) {
    for (const v of table.labels[task]!) positives += v;
    rows += table.rows;
  }
  return Math.round((10_000 * positives) / rows) / 100;
}

describe.skipIf(!census)('census-income (the UCI KDD test file, read from ../shared/data)', () => {
  let mmoeLoad: Promise<LoadedDataset> | undefined;
  const mmoe = () => (mmoeLoad ??= loadDataset('census-income', { dataDir, taskSet: 'mmoe' }));

  it('task set ektm: the fixed split, the README positive rates, and no label source among the features', async () => {
    const started = performance.now();
    const cpu = process.cpuUsage();
    const data = await loadDataset('census-income', { dataDir, taskSet: 'ektm' });
    const used = process.cpuUsage(cpu);
    const cpuSeconds = (used.user + used.system) / 1e6;
    console.info(
      `census-income (ektm) loaded and encoded in ${((performance.now() - started) / 1000).toFixed(2)} s (${cpuSeconds.toFixed(2)} s CPU)`,
    );
    expect(data.taskSet).toBe('ektm');
    expect(data.splits.train.rows).toBe(69_834);
    expect(data.splits.validation.rows).toBe(9_976);
    expect(data.splits.test!.rows).toBe(19_952);
    expect(data.tasks.map((t) => t.name)).toEqual(['fullyear', 'income', 'gains', 'dividends']);
    expect(ratePercent(data, 'fullyear')).toBe(35.14);
    expect(ratePercent(data, 'income')).toBe(6.2);
    expect(ratePercent(data, 'gains')).toBe(3.73);
    expect(ratePercent(data, 'dividends')).toBe(10.55);
    expect(data.features).toHaveLength(42 - 5);
    const featureColumns = new Set(Object.values(data.sources.features));
    for (const source of ['capital_gains', 'dividends_from_stocks', 'instance_weight', 'weeks_worked_in_year', 'income']) {
      expect(featureColumns.has(source)).toBe(false);
    }
    for (const source of Object.values(data.sources.tasks)) expect(featureColumns.has(source!)).toBe(false);
    expect(data.badRows.count).toBe(0);
    expect(cpuSeconds).toBeLessThan(10); // about 1.3 s; CPU time, so that a busy machine does not fail the test
  });

  it('task set mmoe: income and marital with the README rates; marital status and income are not features', async () => {
    const data = await mmoe();
    expect([data.splits.train.rows, data.splits.validation.rows, data.splits.test!.rows]).toEqual([69_834, 9_976, 19_952]);
    expect(data.tasks.map((t) => t.name)).toEqual(['income', 'marital']);
    expect(ratePercent(data, 'income')).toBe(6.2);
    expect(ratePercent(data, 'marital')).toBe(43.25);
    expect(data.features).toHaveLength(42 - 3);
    const featureColumns = new Set(Object.values(data.sources.features));
    expect(featureColumns.has('marital_status')).toBe(false);
    expect(featureColumns.has('income')).toBe(false);
    expect(featureColumns.has('instance_weight')).toBe(false);
    for (const source of Object.values(data.sources.tasks)) expect(featureColumns.has(source!)).toBe(false);
  });

  it('row i goes to train when i % 10 < 7, validation at 7, test at 8 and 9 (checked on the age column)', async () => {
    const data = await mmoe();
    // Ages of data rows 0..11 are 38 44 2 35 49 13 1 | 61 | 38 7 | 30 85: rows 0-6 train, 7 validation, 8-9 test, 10-11 train.
    const ageColumn = data.features.filter((f) => f.type === 'numeric').findIndex((f) => f.name === 'age');
    const age = (table: typeof data.splits.train, row: number) => table.numeric[row * table.numericCount + ageColumn]!;
    const standardise = data.preprocessor.fittedFeatures.find((f) => f.name === 'age')!;
    const stats = standardise.kind === 'numeric' ? standardise.numeric.transforms[0]! : undefined;
    expect(stats?.kind).toBe('standardise');
    if (stats?.kind !== 'standardise') return;
    expect(age(data.splits.train, 0) * stats.std + stats.mean).toBeCloseTo(38, 3);
    const ages = (table: typeof data.splits.train, rows: number) =>
      Array.from({ length: rows }, (_, r) => Math.round(age(table, r) * stats.std + stats.mean));
    expect(ages(data.splits.train, 9)).toEqual([38, 44, 2, 35, 49, 13, 1, 30, 85]);
    expect(ages(data.splits.validation, 1)).toEqual([61]);
    expect(ages(data.splits.test!, 2)).toEqual([38, 7]);
  });

  it('a saved preprocessor encodes raw census lines (serving) exactly as the loader encoded them', async () => {
    const data = await mmoe();
    const served = Preprocessor.fromJSON(JSON.parse(JSON.stringify(data.preprocessor))).encodeRows(await firstLines(census!, 7));
    const train = data.splits.train;
    expect(Array.from(served.categorical)).toEqual(Array.from(train.categorical.subarray(0, 7 * train.categoricalCount)));
    expect(Array.from(served.numeric)).toEqual(Array.from(train.numeric.subarray(0, 7 * train.numericCount)));
    expect(Array.from(served.labels.income!)).toEqual(Array.from(train.labels.income!.subarray(0, 7)));
  });
});

describe('census-income spec (no data needed)', () => {
  it('declares both task sets, 42 columns, and keeps each label source out of its task set features', () => {
    const d = describeDataset('census-income', { dataDir: '/nonexistent' });
    expect(Object.keys(d.taskSets)).toEqual(['mmoe', 'ektm']);
    const columns = d.spec.format.columns!;
    expect(columns).toHaveLength(42);
    const index = (c: string | number) => (typeof c === 'number' ? c : columns.indexOf(c));
    const mmoe = d.taskSets.mmoe!.features.map((f) => index(f.column));
    const ektm = d.taskSets.ektm!.features.map((f) => index(f.column));
    const all = Array.from({ length: 42 }, (_, i) => i);
    expect(mmoe).toEqual(all.filter((i) => ![7, 24, 41].includes(i)));
    expect(ektm).toEqual(all.filter((i) => ![16, 18, 24, 39, 41].includes(i)));
    for (const set of Object.values(d.taskSets)) {
      const used = new Set(set.features.map((f) => index(f.column)));
      for (const t of set.tasks) expect(used.has(index(t.column!))).toBe(false);
    }
    const numeric = d.spec.features.filter((f) => f.type === 'numeric').map((f) => index(f.column));
    expect(numeric).toEqual([0, 5, 16, 17, 18, 30, 39]);
  });
});
