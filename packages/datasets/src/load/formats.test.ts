import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/temp-dir.js';
import { hashBucket, loadDataset } from '../index.js';

const files = tempDir();

describe('file formats', () => {
  it('skips lines, strips a byte-order mark and CRLF endings, reads tabs and quoted values, and skips blank lines', async () => {
    files.write(
      'export.tsv',
      '\uFEFF# exported 2024-01-01\r\n# by a tool\r\nid\tcity\tscore\tlabel\r\n1\t"New York, NY"\t2.5\t1\r\n\r\n2\tParis\t-1\t0\r\n',
    );
    const data = await loadDataset(
      {
        name: 'tsv',
        format: { delimiter: '\t', skipLines: 2 },
        files: { train: 'export.tsv', validation: 'export.tsv' },
        features: [
          { column: 'city', type: 'categorical' },
          { column: 'score', type: 'numeric' },
        ],
        tasks: [{ name: 'label', column: 'label' }],
      },
      { baseDir: files.dir },
    );
    expect(data.splits.train.rows).toBe(2);
    expect(data.preprocessor.fittedFeatures[0]).toMatchObject({ values: ['New York, NY', 'Paris'] });
    expect(Array.from(data.splits.train.numeric)).toEqual([2.5, -1]);
    expect(Array.from(data.splits.train.labels.label!)).toEqual([1, 0]);
  });

  it('names the columns of a headerless file by index (features become column_<i>) and reads shards in order', async () => {
    files.write('part-a.csv', '7,a,0\n8,b,1\n');
    files.write('part-b.csv', '9,a,1\n');
    const data = await loadDataset(
      {
        name: 'shards',
        format: { header: false },
        files: { train: ['part-a.csv', 'part-b.csv'], validation: 'part-b.csv' },
        features: [
          { column: 1, type: 'categorical' },
          { column: '0', type: 'numeric' },
        ],
        tasks: [{ name: 'y', column: 2 }],
      },
      { baseDir: files.dir },
    );
    expect(data.features.map((f) => f.name)).toEqual(['column_1', 'column_0']);
    expect(Array.from(data.splits.train.numeric)).toEqual([7, 8, 9]);
    expect(data.sources.tasks).toEqual({ y: '2' });
  });

  it('evaluates every label rule, products without a column, allowMissing and mse labels', async () => {
    files.write('rules.csv', ['x,weeks,kind,amount,click,buy', 'a,52.0,gold,3.5,1,1', 'b,40,silver,,1,0', 'c,52,bronze,0,0,0'].join('\n'));
    const data = await loadDataset(
      {
        name: 'rules',
        format: { delimiter: ',' },
        files: { train: 'rules.csv', validation: 'rules.csv' },
        features: [{ column: 'x', type: 'categorical' }],
        tasks: [
          { name: 'fullyear', column: 'weeks', positive: { equals: 52 } },
          { name: 'precious', column: 'kind', positive: { in: ['gold', 'silver'] } },
          { name: 'spend', column: 'amount', loss: 'mse', allowMissing: true },
          { name: 'click', column: 'click' },
          { name: 'cvr', column: 'buy', parent: 'click' },
          { name: 'ctcvr', product: ['click', 'cvr'] },
        ],
      },
      { baseDir: files.dir },
    );
    const labels = data.splits.train.labels;
    expect(Array.from(labels.fullyear!)).toEqual([1, 0, 1]);
    expect(Array.from(labels.precious!)).toEqual([1, 1, 0]);
    expect(Array.from(labels.spend!)).toEqual([3.5, NaN, 0]);
    expect(Array.from(labels.ctcvr!)).toEqual([1, 0, 0]);
    expect(data.tasks.find((t) => t.name === 'spend')).toEqual({ name: 'spend', loss: 'mse' });
  });

  it('hashes a huge-vocabulary column into buckets (no vocabulary kept) and caps rows per file', async () => {
    const lines = ['user,label', ...Array.from({ length: 500 }, (_, i) => `user-${i},${i % 2}`)];
    files.write('users.csv', lines.join('\n'));
    const data = await loadDataset(
      {
        name: 'hashed',
        files: { train: 'users.csv' },
        features: [{ column: 'user', type: 'categorical', hashBuckets: 64 }],
        tasks: [{ name: 'label', column: 'label' }],
      },
      { baseDir: files.dir, maxRowsPerFile: 100 },
    );
    expect(data.splits.train.rows + data.splits.validation.rows).toBe(100);
    expect(data.features[0]).toEqual({ name: 'user', type: 'categorical', vocabularySize: 65 });
    expect(data.preprocessor.toJSON().features[0]).toEqual({ name: 'user', column: 'user', kind: 'hash', buckets: 64 });
    expect(data.splits.train.categorical[0]).toBe(hashBucket('user-0', 64));
    const unseen = data.preprocessor.encodeRows([{ user: 'never-seen' }]); // hashed: no vocabulary, no unseen values
    expect(unseen.categorical[0]).toBe(hashBucket('never-seen', 64));
  });
});
