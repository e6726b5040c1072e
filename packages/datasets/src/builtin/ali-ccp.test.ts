import { describe, expect, it } from 'vitest';
import { dirname } from 'node:path';
import { sharedData } from '@ektm/testing';
import { loadDataset } from '../index.js';
import type { EncodedTable } from '@ektm/core';

const sample = sharedData('ali-ccp-sample/torch-rechub_ali_ccp_train_sample.csv');
const dataDir = sample ? dirname(dirname(sample)) : '';

function positives(table: EncodedTable | undefined, label: string): number {
  let n = 0;
  for (const v of table?.labels[label] ?? []) n += v;
  return n;
}

describe.skipIf(!sample)('ali-ccp formats on the samples in ../shared/data', () => {
  it('torch-rechub processed CSV: train/val/test 100/50/50 rows, click 7/3/2, purchase 1/1/1', async () => {
    const files = {
      train: 'ali-ccp-sample/torch-rechub_ali_ccp_train_sample.csv',
      validation: 'ali-ccp-sample/torch-rechub_ali_ccp_val_sample.csv',
      test: 'ali-ccp-sample/torch-rechub_ali_ccp_test_sample.csv',
    };
    const data = await loadDataset('ali-ccp', { dataDir, files, taskSet: 'mtl' });
    const { train, validation, test } = data.splits;
    expect([train.rows, validation.rows, test!.rows]).toEqual([100, 50, 50]);
    expect([positives(train, 'click'), positives(validation, 'click'), positives(test, 'click')]).toEqual([7, 3, 2]);
    expect([positives(train, 'purchase'), positives(validation, 'purchase'), positives(test, 'purchase')]).toEqual([1, 1, 1]);
    expect(data.features.filter((f) => f.type === 'categorical')).toHaveLength(23);
    expect(data.features.filter((f) => f.type === 'numeric')).toHaveLength(8);
  });

  it('PaddleRec AITM CSV, train with a header (48 rows) and test without (50 rows): click 3 and purchase 3 each', async () => {
    const files = { train: 'ali-ccp-sample/paddlerec_aitm_train.csv', test: 'ali-ccp-sample/paddlerec_aitm_test.csv' };
    const data = await loadDataset('ali-ccp-aitm', { dataDir, files, taskSet: 'mtl' });
    const { train, validation, test } = data.splits;
    expect(train.rows + validation.rows).toBe(48);
    expect(test!.rows).toBe(50);
    expect(positives(train, 'click') + positives(validation, 'click')).toBe(3);
    expect(positives(train, 'purchase') + positives(validation, 'purchase')).toBe(3);
    expect([positives(test, 'click'), positives(test, 'purchase')]).toEqual([3, 3]);
    expect(data.features).toHaveLength(18);
    // 49 lines with a header gave 48 rows; 50 lines without one gave 50: the header was recognised only where present.
    expect(data.preprocessor.toJSON().input.columns?.[0]).toBe('click');
  });

  it('raw sample_id,click,buy,field:feature rows (PaddleRec ESMM): 10 rows each, feature fields by key', async () => {
    const files = { train: 'ali-ccp-sample/paddlerec_esmm_train_small.txt', test: 'ali-ccp-sample/paddlerec_esmm_test_small.txt' };
    const data = await loadDataset('ali-ccp-raw', { dataDir, files });
    const { train, validation, test } = data.splits;
    expect(train.rows + validation.rows).toBe(10);
    expect(test!.rows).toBe(10);
    expect(data.tasks.map((t) => t.name)).toEqual(['click', 'cvr', 'ctcvr']);
    // train: sample 1 clicks and buys, sample 3 clicks; test: sample 3 clicks.
    expect(positives(train, 'click') + positives(validation, 'click')).toBe(2);
    expect(positives(train, 'ctcvr') + positives(validation, 'ctcvr')).toBe(1);
    expect([positives(test, 'click'), positives(test, 'ctcvr')]).toEqual([1, 0]);
    expect(data.features).toHaveLength(23);
    // Field 126 never occurs in these rows: it is always missing, so always index 0.
    const column = data.features.findIndex((f) => f.name === '126');
    for (let r = 0; r < train.rows; r++) expect(train.categorical[r * train.categoricalCount + column]).toBe(0);
    // Field 101 (user id) occurs once per row: every train value is in the vocabulary (index > 0).
    const user = data.features.findIndex((f) => f.name === '101');
    for (let r = 0; r < train.rows; r++) expect(train.categorical[r * train.categoricalCount + user]).toBeGreaterThan(0);
  });
});
