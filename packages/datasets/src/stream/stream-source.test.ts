import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/temp-dir.js';
import { Prng } from '../random/prng.js';
import { fitPreprocessor, loadDataset, memorySource, streamSource } from '../index.js';
import type { EncodedTable, TableSource } from '@ektm/core';
import type { DatasetSpec } from '../index.js';

const files = tempDir();
const prng = new Prng(5);
const lines = ['user,score,amount,label'];
for (let i = 0; i < 3000; i++) {
  lines.push(
    `u${prng.int(200)},${prng.next() < 0.05 ? '' : (prng.gaussian() * 3).toFixed(3)},${Math.floor(prng.next() * 500)},${prng.next() < 0.3 ? 1 : 0}`,
  );
}
files.writeGzip('part-0.csv.gz', lines.slice(0, 1801).join('\n'));
files.write('part-1.csv', [lines[0], ...lines.slice(1801)].join('\n'));

const spec: DatasetSpec = {
  name: 'stream',
  files: { train: ['part-0.csv.gz', 'part-1.csv'] },
  split: { validation: { everyNth: 10, offset: 3 }, test: { everyNth: 10, offset: [5, 6] } },
  group: 'user',
  features: [
    { column: 'user', type: 'categorical', minCount: 3 },
    { column: 'score', type: 'numeric', transform: 'standardise' },
    { column: 'amount', type: 'numeric', transform: ['log1p', 'buckets'], buckets: 8 },
  ],
  tasks: [{ name: 'label', column: 'label' }],
};

async function collect(source: TableSource, shuffleSeed?: number): Promise<EncodedTable[]> {
  const chunks: EncodedTable[] = [];
  for await (const chunk of source.chunks({ shuffleSeed })) chunks.push(chunk);
  return chunks;
}

/** Each row as a string key (features, labels, group), for comparing tables as ordered lists or as multisets. */
function rowKeys(chunks: EncodedTable[]): string[] {
  const keys: string[] = [];
  for (const t of chunks) {
    for (let r = 0; r < t.rows; r++) {
      const cat = Array.from(t.categorical.subarray(r * t.categoricalCount, (r + 1) * t.categoricalCount));
      const num = Array.from(t.numeric.subarray(r * t.numericCount, (r + 1) * t.numericCount));
      keys.push(JSON.stringify([cat, num, t.labels.label![r], t.groups?.[r]]));
    }
  }
  return keys;
}

describe('streamSource', () => {
  it('fits the same preprocessor in one streaming pass as the full load', async () => {
    const full = await loadDataset(spec, { baseDir: files.dir });
    const streamed = await fitPreprocessor(spec, { baseDir: files.dir });
    expect(streamed.toJSON()).toEqual(full.preprocessor.toJSON());
  });

  it('without a shuffle, streams exactly the rows of the full load of every split, across files', async () => {
    const full = await loadDataset(spec, { baseDir: files.dir });
    for (const split of ['train', 'validation', 'test'] as const) {
      const chunks = await collect(streamSource(spec, split, { baseDir: files.dir, chunkRows: 500 }));
      expect(chunks.slice(0, -1).every((c) => c.rows === 500)).toBe(true);
      expect(rowKeys(chunks)).toEqual(rowKeys([full.splits[split]!]));
    }
    expect([full.splits.train.rows, full.splits.validation.rows, full.splits.test!.rows]).toEqual([2100, 300, 600]);
  });

  it('with a seed, shuffles through the buffer: same rows, seeded order, different for another seed', async () => {
    const full = await loadDataset(spec, { baseDir: files.dir });
    const preprocessor = full.preprocessor;
    const source = streamSource(spec, 'train', { baseDir: files.dir, preprocessor, chunkRows: 256, shuffleBufferRows: 400 });
    const a = rowKeys(await collect(source, 1));
    const again = rowKeys(await collect(source, 1));
    const b = rowKeys(await collect(source, 2));
    const ordered = rowKeys([full.splits.train]);
    expect(a).toEqual(again);
    expect(a).not.toEqual(b);
    expect(a).not.toEqual(ordered);
    expect([...a].sort()).toEqual([...ordered].sort());
    expect([...b].sort()).toEqual([...ordered].sort());
  });

  it('refuses a preprocessor fitted for another task set, and a split the spec does not have', async () => {
    const { tasks: _tasks, ...rest } = spec;
    const twoSets: DatasetSpec = {
      ...rest,
      taskSets: { a: { tasks: [{ name: 'label', column: 'label' }] }, b: { tasks: [{ name: 'y', column: 'label' }] } },
    };
    const preprocessor = await fitPreprocessor(twoSets, { baseDir: files.dir, taskSet: 'a' });
    expect(() => streamSource(twoSets, 'train', { baseDir: files.dir, taskSet: 'b', preprocessor })).toThrow(
      /fitted for task set "a", not "b"/,
    );
    expect(() => streamSource({ ...spec, split: { validation: { everyNth: 10, offset: 3 } } }, 'test', { baseDir: files.dir })).toThrow(
      /has no test split/,
    );
  });

  it('memorySource chunks a table and shuffles it with a seeded permutation', async () => {
    const full = await loadDataset(spec, { baseDir: files.dir });
    const source = memorySource(full.splits.validation, { chunkRows: 64 });
    expect(source.rows).toBe(300);
    const plain = rowKeys(await collect(source));
    expect(plain).toEqual(rowKeys([full.splits.validation]));
    const shuffled = rowKeys(await collect(source, 9));
    expect(shuffled).not.toEqual(plain);
    expect([...shuffled].sort()).toEqual([...plain].sort());
    expect(rowKeys(await collect(source, 9))).toEqual(shuffled);
  });

  it('streams the synthetic dataset from memory', async () => {
    const source = streamSource('synthetic', 'validation', {
      simulator: { trainRows: 500, validationRows: 300, testRows: 100 },
      chunkRows: 128,
    });
    const chunks = await collect(source, 3);
    expect(chunks.map((c) => c.rows)).toEqual([128, 128, 44]);
    expect((await source.preprocessor()).taskSet).toBe('ektm');
  });
});
