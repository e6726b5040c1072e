import { describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { tempDir } from '../../test/temp-dir.js';
import { DatasetError, loadDataset, streamSource } from '../index.js';
import type { DatasetSpec } from '../index.js';

const files = tempDir();

/** A spec over a headed CSV `a,b,label` (a categorical, b numeric, label 0/1), with a validation split. */
function spec(train: string, extra: Partial<DatasetSpec> = {}): DatasetSpec {
  return {
    name: 'bad',
    files: { train },
    features: [
      { column: 'a', type: 'categorical' },
      { column: 'b', type: 'numeric' },
    ],
    tasks: [{ name: 'y', column: 'label' }],
    ...extra,
  };
}

async function failure(promise: Promise<unknown>): Promise<DatasetError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DatasetError);
  return error as DatasetError;
}

const GOOD = 'a,b,label\nx,1,0\ny,2,1\nx,3,0\n';

describe('bad input: every error names the file, the line and the column', () => {
  const load = (name: string, extra: Partial<DatasetSpec> = {}) => loadDataset(spec(name, extra), { baseDir: files.dir });

  it('a row with the wrong number of fields', async () => {
    files.write('fields.csv', 'a,b,label\nx,1,0\ny,2\nx,3,0\n');
    const e = await failure(load('fields.csv'));
    expect(e.message).toBe('fields.csv:3: expected 3 fields (as in the header), found 2');
    expect(e.file).toMatch(/fields\.csv$/);
    expect(e.line).toBe(3);
  });

  it('a value that is not a number in a numeric column', async () => {
    files.write('number.csv', 'a,b,label\nx,1,0\ny,2,1\nz,abc,0\n');
    const e = await failure(load('number.csv'));
    expect(e.message).toBe('number.csv:4: column 1 (b): "abc" is not a number');
    expect([e.line, e.column, e.columnName]).toEqual([4, 1, 'b']);
  });

  it('reads like the census message: a gzip file without a header, columns named in the spec', async () => {
    const lines = Array.from(
      { length: 200 },
      (_, i) => `${30 + (i % 40)}, ${i === 122 ? 'abc' : i % 7}, ${i % 3 ? '- 50000.' : '50000+.'}`,
    );
    files.writeGzip('census-like.test.gz', lines.join('\n') + '\n');
    const e = await failure(
      loadDataset(
        {
          name: 'census-like',
          format: { delimiter: ', ', header: false, columns: ['age', 'wage per hour', 'income'] },
          files: { train: 'census-like.test.gz' },
          features: [
            { column: 0, type: 'numeric' },
            { column: 1, type: 'numeric' },
          ],
          tasks: [{ name: 'income', column: 2, positive: { startsWith: '50000+' } }],
        },
        { baseDir: files.dir },
      ),
    );
    expect(e.message).toBe('census-like.test.gz:123: column 1 (wage per hour): "abc" is not a number');
  });

  it('a missing label', async () => {
    files.write('label.csv', 'a,b,label\nx,1,0\ny,2,\n');
    const e = await failure(load('label.csv'));
    expect(e.message).toBe('label.csv:3: column 2 (label): missing label for task "y"');
  });

  it('a label its rule cannot read', async () => {
    files.write('label-value.csv', 'a,b,label\nx,1,0\ny,2,maybe\n');
    const e = await failure(load('label-value.csv'));
    expect(e.message).toMatch(/^label-value\.csv:3: column 2 \(label\): "maybe" is not a 0\/1 label/);
    files.write('label-number.csv', 'a,b,label\nx,1,0\ny,2,lots\n');
    const rule = await failure(load('label-number.csv', { tasks: [{ name: 'y', column: 'label', positive: { greaterThan: 0 } }] }));
    expect(rule.message).toMatch(/^label-number\.csv:3: column 2 \(label\): "lots" is not a number/);
  });

  it('an unknown column in the spec names the spec key, the file and the columns that exist', async () => {
    files.write('columns.csv', GOOD);
    const e = await failure(
      load('columns.csv', {
        features: [
          { column: 'a', type: 'categorical' },
          { column: 'bb', type: 'numeric' },
        ],
      }),
    );
    expect(e.message).toBe('columns.csv:1: features[1].column: "bb" is not a column of columns.csv; columns are a, b, label');
    expect(e.key).toBe('features[1].column');
    const index = await failure(load('columns.csv', { tasks: [{ name: 'y', column: 7 }] }));
    expect(index.message).toMatch(/tasks\[0\]\.column: column 7 is out of range: rows have 3 fields/);
  });

  it('a corrupt gzip: truncated, damaged, or a .gz name on plain text', async () => {
    const zipped = gzipSync(Buffer.from(GOOD + 'x,1,0\ny,2,1\n'.repeat(20_000)));
    files.write('truncated.csv.gz', zipped.subarray(0, Math.floor(zipped.length / 2)));
    const truncated = await failure(load('truncated.csv.gz'));
    expect(truncated.message).toMatch(/^truncated\.csv\.gz:\d+: corrupt gzip \(unexpected end of file\) after line \d+$/);
    const damaged = Buffer.from(zipped);
    damaged[damaged.length - 6]! ^= 0xff; // the CRC and length trailer no longer match
    files.write('damaged.csv.gz', damaged);
    expect((await failure(load('damaged.csv.gz'))).message).toMatch(/^damaged\.csv\.gz:\d+: corrupt gzip/);
    files.write('plain.csv.gz', GOOD);
    expect((await failure(load('plain.csv.gz'))).message).toBe(
      'plain.csv.gz: corrupt gzip: the name ends in .gz but the file does not start with the gzip header',
    );
  });

  it('an empty file, a file with only blank lines, a header without rows, a missing file', async () => {
    files.write('empty.csv', '');
    expect((await failure(load('empty.csv'))).message).toBe('empty.csv: the file is empty');
    files.write('blank.csv', '\n  \n\n');
    expect((await failure(load('blank.csv'))).message).toBe('blank.csv: the file is empty');
    files.writeGzip('empty.csv.gz', '');
    expect((await failure(load('empty.csv.gz'))).message).toBe('empty.csv.gz: the file is empty');
    files.write('header.csv', 'a,b,label\n');
    expect((await failure(load('header.csv'))).message).toBe('header.csv:1: the file has a header but no data rows');
    expect((await failure(load('nowhere.csv'))).message).toBe('nowhere.csv: file not found');
  });

  it('an unterminated quote and a bad key:value field name the column', async () => {
    files.write('quote.csv', 'a,b,label\nx,1,0\n"y,2,1\n');
    expect((await failure(load('quote.csv'))).message).toBe(
      'quote.csv:3: column 0 (a): unterminated quoted value (a quoted value cannot span lines)',
    );
    files.write('kv.txt', '1,0,101:5,205:7\n2,1,101:6,oops\n');
    const keyed = await failure(
      loadDataset(
        {
          name: 'kv',
          format: { header: false, columns: ['id', 'click'], keyValue: { from: 2 } },
          files: { train: 'kv.txt' },
          features: [{ column: '101', type: 'categorical' }],
          tasks: [{ name: 'click', column: 'click' }],
        },
        { baseDir: files.dir },
      ),
    );
    expect(keyed.message).toBe('kv.txt:2: column 3: "oops" is not a key:value field');
  });

  it('maxBadRows skips and counts bad rows, and the row past the budget is the error', async () => {
    files.write('some-bad.csv', 'a,b,label\nx,1,0\ny,oops,1\nz,3\nx,4,1\nw,5,\nv,6,0\n');
    const data = await loadDataset(spec('some-bad.csv'), { baseDir: files.dir, maxBadRows: 3 });
    expect(data.badRows.count).toBe(3);
    expect(data.badRows.examples).toEqual([
      'some-bad.csv:3: column 1 (b): "oops" is not a number',
      'some-bad.csv:4: expected 3 fields (as in the header), found 2',
      'some-bad.csv:6: column 2 (label): missing label for task "y"',
    ]);
    expect(data.splits.train.rows + data.splits.validation.rows).toBe(3);
    const e = await failure(loadDataset(spec('some-bad.csv'), { baseDir: files.dir, maxBadRows: 2 }));
    expect(e.message).toBe('some-bad.csv:6: column 2 (label): missing label for task "y" (more than maxBadRows = 2 bad rows)');
  });

  it('bad rows skipped by maxBadRows keep their row index, so the split of the good rows does not move', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => (i === 4 ? 'x,bad,0' : `x,${i},0`));
    files.write('indices.csv', ['a,b,label', ...rows].join('\n'));
    const data = await loadDataset(spec('indices.csv', { split: { validation: { everyNth: 10, offset: 9 } } }), {
      baseDir: files.dir,
      maxBadRows: 1,
    });
    expect(data.splits.validation.rows).toBe(3); // rows 9, 19, 29
    expect(data.splits.train.rows).toBe(26);
  });

  it('streaming reports the same errors', async () => {
    files.write('stream-bad.csv', 'a,b,label\nx,1,0\ny,2,1\nz,abc,0\n');
    const source = streamSource(spec('stream-bad.csv', { split: { validation: { everyNth: 2, offset: 1 } } }), 'train', {
      baseDir: files.dir,
    });
    const e = await failure(
      (async () => {
        for await (const _ of source.chunks()) void _;
      })(),
    );
    expect(e.message).toBe('stream-bad.csv:4: column 1 (b): "abc" is not a number');
  });
});

describe('bad specs: errors name the JSON key', () => {
  it('names the spec file and line of a JSON syntax error', async () => {
    const path = files.write('broken.json', '{\n  "name": "x",\n  "files": {"train": "a.csv"},\n}\n');
    const e = await failure(loadDataset(path));
    expect(e.file).toBe(path);
    expect(e.message).toMatch(/^broken\.json:4: invalid JSON/);
  });

  it('names the key of a bad value or an unknown key', async () => {
    const transform = await failure(
      loadDataset({
        ...spec('a.csv'),
        features: [
          { column: 'a', type: 'categorical' },
          { column: 'b', type: 'numeric', transform: 'log2' as never },
        ],
      }),
    );
    expect(transform.message).toBe('features[1].transform: "log2" is not allowed; use log1p, standardise, buckets');
    const unknown = await failure(
      loadDataset({ ...spec('a.csv'), tasks: [{ name: 'y', column: 'label', postive: { equals: '1' } } as never] }),
    );
    expect(unknown.message).toBe(
      'tasks[0].postive: unknown key; allowed keys are name, column, positive, parent, product, weight, loss, allowMissing',
    );
  });

  it('refuses label leakage: a label source that is also a feature', async () => {
    files.write('leak.csv', GOOD);
    const e = await failure(
      loadDataset(spec('leak.csv', { features: [{ column: 'label', type: 'categorical' }] }), { baseDir: files.dir }),
    );
    expect(e.key).toBe('tasks[0].column');
    expect(e.message).toMatch(/label leakage/);
  });

  it('lists the built-in datasets for an unknown name, and the task sets for an unknown task set', async () => {
    expect((await failure(loadDataset('censuss'))).message).toMatch(
      /unknown dataset "censuss"; built-in datasets are synthetic, simulated-shop, census-income, aliexpress/,
    );
    expect((await failure(loadDataset('synthetic', { taskSet: 'mmoe' }))).message).toMatch(/unknown task set "mmoe".*ektm, esmm/);
  });

  it('says how to get a missing built-in file', async () => {
    const census = await failure(loadDataset('census-income', { dataDir: files.dir }));
    expect(census.message).toMatch(
      /census-income\.test\.gz: file not found \(data dir .*\); run `ektm datasets download census-income` \(in code: downloadDataset\("census-income"\)\)/,
    );
    const ali = await failure(loadDataset('aliexpress', { dataDir: files.dir }));
    expect(ali.message).toMatch(/train\.csv: file not found .*Tianchi/);
  });
});
