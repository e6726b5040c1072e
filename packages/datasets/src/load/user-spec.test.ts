import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { tempDir } from '../../test/temp-dir.js';
import { Prng } from '../random/prng.js';
import { auc } from '@ektm/core';
import { iterateBatches, loadDataset } from '../index.js';
import type { EncodedTable } from '@ektm/core';
import type { LoadedDataset } from '../index.js';

/**
 * A CSV this project has never seen: a header, a three-character delimiter, "NA" for missing values, a
 * categorical and numeric mix, and labels in words. Default risk depends on region and income; churn on plan.
 */
function writeLoansCsv(rows: number, seed: number): string {
  const prng = new Prng(seed);
  const regions = ['north', 'south', 'east', 'west', 'centre'];
  const plans = ['basic', 'plus', 'premium'];
  const lines = ['customer | region | age | income | plan | status | churned'];
  for (let i = 0; i < rows; i++) {
    const region = prng.int(regions.length);
    const plan = prng.int(plans.length);
    const income = Math.round(20_000 * Math.exp(0.6 * prng.gaussian()));
    const risk = -2 + 0.8 * (region - 2) - 1.2 * Math.log(income / 20_000);
    const defaulted = prng.next() < 1 / (1 + Math.exp(-risk));
    const churned = prng.next() < [0.4, 0.2, 0.05][plan]!;
    const age = prng.next() < 0.1 ? 'NA' : String(20 + prng.int(50));
    lines.push(
      [
        `c${i}`,
        regions[region],
        age,
        prng.next() < 0.05 ? 'NA' : String(income),
        plans[plan],
        defaulted ? 'in default' : 'paying',
        churned ? 'yes' : 'no',
      ].join(' | '),
    );
  }
  return lines.join('\n') + '\n';
}

const files = tempDir();
files.write('loans-2023.csv', writeLoansCsv(6000, 1));
files.write('loans-2024.csv', writeLoansCsv(2000, 2));
const specPath = files.writeJson('loans.json', {
  name: 'loans',
  format: { delimiter: ' | ', header: true, missing: 'NA' },
  files: { train: 'loans-2023.csv', test: 'loans-2024.csv' },
  split: { validation: { from: 'train', everyNth: 5, offset: 4 } },
  group: 'region',
  features: [
    { column: 'region', type: 'categorical' },
    { column: 'age', type: 'numeric', transform: 'standardise' },
    { column: 'income', type: 'numeric', transform: ['log1p', 'standardise'] },
    { column: 'income', name: 'income_band', type: 'numeric', transform: 'buckets', buckets: 4 },
    { column: 'plan', type: 'categorical' },
  ],
  tasks: [
    { name: 'default', column: 'status', positive: { equals: 'in default' } },
    { name: 'churn', column: 'churned', positive: { in: ['yes', 'y'] } },
  ],
});

/** A logistic regression on one-hot categorical and raw numeric inputs, trained by SGD on the batches. */
function trainLogistic(data: LoadedDataset, task: string): (table: EncodedTable) => Float64Array {
  const offsets: number[] = [];
  let width = 0;
  for (const f of data.features) {
    offsets.push(width);
    width += f.type === 'categorical' ? f.vocabularySize : 1;
  }
  const w = new Float64Array(width + 1);
  const inputs = (table: EncodedTable, r: number): number[] => {
    const active: number[] = [];
    for (let c = 0; c < table.categoricalCount; c++) active.push(offsets[c]! + table.categorical[r * table.categoricalCount + c]!);
    return active;
  };
  const score = (table: EncodedTable, r: number) => {
    let z = w[width]!;
    for (const i of inputs(table, r)) z += w[i]!;
    for (let m = 0; m < table.numericCount; m++) z += w[offsets[table.categoricalCount + m]!]! * table.numeric[r * table.numericCount + m]!;
    return z;
  };
  for (let epoch = 0; epoch < 5; epoch++) {
    for (const batch of iterateBatches(data.splits.train, data.tasks, { batchSize: 64, shuffleSeed: epoch })) {
      const view: EncodedTable = { ...batch, labels: batch.labels };
      for (let r = 0; r < batch.rows; r++) {
        if (batch.masks[task]![r] !== 1) continue;
        const g = 1 / (1 + Math.exp(-score(view, r))) - batch.labels[task]![r]!;
        for (const i of inputs(view, r)) w[i]! -= 0.05 * g;
        for (let m = 0; m < view.numericCount; m++)
          w[offsets[view.categoricalCount + m]!]! -= 0.05 * g * view.numeric[r * view.numericCount + m]!;
        w[width]! -= 0.05 * g;
      }
    }
  }
  return (table) => Float64Array.from({ length: table.rows }, (_, r) => score(table, r));
}

describe('a user-written spec for a CSV the project has never seen', () => {
  it('loads by path (file paths relative to the spec), splits, encodes missing values, and trains end to end', async () => {
    const data = await loadDataset(specPath);
    expect(data.name).toBe('loans');
    expect(data.splits.train.rows).toBe(4800);
    expect(data.splits.validation.rows).toBe(1200);
    expect(data.splits.test!.rows).toBe(2000);
    expect(data.features.map((f) => `${f.name}:${f.type}`)).toEqual([
      'region:categorical',
      'income_band:categorical',
      'plan:categorical',
      'age:numeric',
      'income:numeric',
    ]);
    expect(data.features[0]).toMatchObject({ vocabularySize: 6 });
    expect(data.features[1]).toMatchObject({ vocabularySize: 5 }); // 4 income buckets and 0 = missing
    const { train } = data.splits;
    // "NA" ages are missing: standardised missing values are the train mean, 0.
    let zeros = 0;
    for (let r = 0; r < train.rows; r++) if (train.numeric[r * train.numericCount] === 0) zeros++;
    expect(zeros / train.rows).toBeGreaterThan(0.07);
    expect(train.groups).toBeDefined();

    const predictDefault = trainLogistic(data, 'default');
    const test = data.splits.test!;
    expect(auc(predictDefault(test), test.labels.default!)).toBeGreaterThan(0.7);
    const predictChurn = trainLogistic(data, 'churn');
    expect(auc(predictChurn(test), test.labels.churn!)).toBeGreaterThan(0.65);
  });

  it('resolves relative file paths against the spec file folder, whatever the working directory', async () => {
    const cwd = process.cwd();
    process.chdir(join(files.dir, '..'));
    try {
      const data = await loadDataset(specPath);
      expect(data.splits.test!.rows).toBe(2000);
    } finally {
      process.chdir(cwd);
    }
  });
});
