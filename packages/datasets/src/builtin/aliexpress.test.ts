import { describe, expect, it } from 'vitest';
import { dirname } from 'node:path';
import { sharedData } from '@ektm/testing';
import { loadDataset } from '../index.js';
import type { EncodedTable } from '@ektm/core';

const sample = sharedData('aliexpress-sample/fuxictr_tiny_mtl_train.csv');
const dataDir = sample ? dirname(dirname(sample)) : '';

function count(tables: Array<EncodedTable | undefined>, label: string): { rows: number; positives: number } {
  let rows = 0;
  let positives = 0;
  for (const t of tables) {
    if (!t) continue;
    rows += t.rows;
    for (const v of t.labels[label]!) positives += v;
  }
  return { rows, positives };
}

// Row and label counts from aliexpress-sample/README.md: [train rows, click, conversion], [test rows, click, conversion].
const SAMPLES = [
  {
    name: 'FuxiCTR tiny_mtl',
    train: 'fuxictr_tiny_mtl_train.csv',
    test: 'fuxictr_tiny_mtl_test.csv',
    trainCounts: [100, 3, 2],
    testCounts: [100, 6, 1],
  },
  {
    name: 'torch-rechub',
    train: 'torch-rechub_aliexpress_train_sample.csv',
    test: 'torch-rechub_aliexpress_test_sample.csv',
    trainCounts: [100, 60, 2],
    testCounts: [20, 10, 2],
  },
];

describe.skipIf(!sample)('aliexpress (MTReclib CSV format) on the samples in ../shared/data', () => {
  for (const s of SAMPLES) {
    it(`loads the ${s.name} sample with the README row and label counts`, async () => {
      const files = { train: `aliexpress-sample/${s.train}`, test: `aliexpress-sample/${s.test}` };
      const data = await loadDataset('aliexpress', { dataDir, files });
      const { train, validation, test } = data.splits;
      expect(train.rows + validation.rows).toBe(s.trainCounts[0]);
      expect(validation.rows).toBe(s.trainCounts[0]! / 10);
      expect(count([train, validation], 'click')).toEqual({ rows: s.trainCounts[0], positives: s.trainCounts[1] });
      expect(count([train, validation], 'conversion').positives).toBe(s.trainCounts[2]);
      expect(count([test], 'click')).toEqual({ rows: s.testCounts[0], positives: s.testCounts[1] });
      expect(count([test], 'conversion').positives).toBe(s.testCounts[2]);
      expect(data.features.filter((f) => f.type === 'categorical')).toHaveLength(16);
      expect(data.features.filter((f) => f.type === 'numeric')).toHaveLength(63);
      expect(data.groupColumn).toBe('search_id');
      expect(train.groups).toHaveLength(train.rows);
    });
  }

  it('task set esmm: click, cvr in the clicked space, ctcvr = click x cvr', async () => {
    const files = {
      train: 'aliexpress-sample/torch-rechub_aliexpress_train_sample.csv',
      test: 'aliexpress-sample/torch-rechub_aliexpress_test_sample.csv',
    };
    const data = await loadDataset('aliexpress', { dataDir, files, taskSet: 'esmm' });
    expect(data.tasks).toEqual([{ name: 'click' }, { name: 'cvr', parent: 'click' }, { name: 'ctcvr', product: ['click', 'cvr'] }]);
    expect(count([data.splits.test], 'ctcvr').positives).toBe(2);
  });

  it('streams the same rows as it loads', async () => {
    const files = { train: 'aliexpress-sample/fuxictr_tiny_mtl_train.csv', test: 'aliexpress-sample/fuxictr_tiny_mtl_test.csv' };
    const data = await loadDataset('aliexpress', { dataDir, files });
    const { streamSource } = await import('../index.js');
    const source = streamSource('aliexpress', 'test', { dataDir, files, chunkRows: 30 });
    const chunks: EncodedTable[] = [];
    for await (const chunk of source.chunks()) chunks.push(chunk);
    expect(chunks.map((c) => c.rows)).toEqual([30, 30, 30, 10]);
    expect(Array.from(chunks.flatMap((c) => Array.from(c.categorical)))).toEqual(Array.from(data.splits.test!.categorical));
  });
});
