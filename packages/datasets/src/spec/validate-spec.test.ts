import { describe, expect, it } from 'vitest';
import { DatasetError, describeDataset, listDatasets, validateDatasetSpec } from '../index.js';

const ADULT = {
  name: 'adult',
  format: { delimiter: ', ', header: true, missing: '?' },
  files: { train: 'adult.data', test: 'adult.test' },
  split: { validation: { from: 'train', everyNth: 10, offset: 7 } },
  features: [
    { column: 'age', type: 'numeric', transform: 'log1p' },
    { column: 'workclass', type: 'categorical' },
  ],
  tasks: [
    { name: 'income', column: 'income', positive: { startsWith: '>50K' } },
    { name: 'marital', column: 'marital_status', positive: { equals: 'Never-married' } },
  ],
};

function specError(value: unknown): DatasetError {
  try {
    validateDatasetSpec(value, 'spec.json');
  } catch (error) {
    expect(error).toBeInstanceOf(DatasetError);
    return error as DatasetError;
  }
  throw new Error('expected a DatasetError');
}

describe('validateDatasetSpec', () => {
  it('accepts the issue example and fills its defaults', () => {
    const spec = validateDatasetSpec(ADULT);
    expect(spec.format).toEqual({ delimiter: ', ', header: true, missing: ['?'], skipLines: 0, quote: '"' });
    expect(spec.split.validation).toEqual({ from: 'train', everyNth: 10, offsets: [7] });
    expect(spec.features[0]).toMatchObject({ column: 'age', type: 'numeric', transforms: ['log1p'], minCount: 1 });
    expect(Object.keys(spec.taskSets)).toEqual(['default']);
    expect(spec.defaultTaskSet).toBe('default');
  });

  it('gives a spec without a validation source every 10th train row', () => {
    const { split: _split, ...rest } = ADULT;
    expect(validateDatasetSpec(rest).split.validation).toEqual({ from: 'train', everyNth: 10, offsets: [9] });
  });

  it.each([
    [
      { ...ADULT, features: [{ column: 'age', type: 'numeric', transform: 'log2' }] },
      'features[0].transform',
      '"log2" is not allowed; use log1p, standardise, buckets',
    ],
    [
      { ...ADULT, features: [{ column: 'age', type: 'numeric', transform: ['standardise', 'log1p'] }] },
      'features[0].transform[1]',
      'transforms apply in the order log1p, standardise, buckets, each at most once',
    ],
    [
      { ...ADULT, features: [{ column: 'age', type: 'numeric', transform: 'buckets' }] },
      'features[0].transform',
      '"buckets" needs exactly one of "buckets" (a count) or "boundaries" (a list)',
    ],
    [
      { ...ADULT, features: [{ column: 'age', type: 'categorical', transform: 'log1p' }] },
      'features[0].transform',
      'does not apply to a categorical feature',
    ],
    [
      { ...ADULT, features: [{ column: -1, type: 'numeric' }] },
      'features[0].column',
      'must be a column name or a 0-based column index, not -1',
    ],
    [{ ...ADULT, features: [] }, 'features', 'must not be empty'],
    [{ ...ADULT, format: { delimiter: '' } }, 'format.delimiter', 'must be a non-empty string, not ""'],
    [{ ...ADULT, format: { header: 'auto' } }, 'format.header', '"auto" needs format.columns (to recognise the header line)'],
    [
      { ...ADULT, split: { validation: { from: 'train', everyNth: 10, offset: 12 } } },
      'split.validation.offset',
      'must be less than everyNth (10), not 12',
    ],
    [
      { ...ADULT, files: { train: 'a' }, split: { validation: { everyNth: 10, offset: 7 }, test: { everyNth: 5, offset: 2 } } },
      'split.test',
      'takes some of the same rows of "train" as split.validation',
    ],
    [{ ...ADULT, split: { test: { everyNth: 10, offset: 8 } } }, 'split.test', 'files.test is also given; use one or the other'],
    [
      { ...ADULT, tasks: [{ name: 'a', column: 'x', positive: { equals: '1', startsWith: '1' } }] },
      'tasks[0].positive',
      'needs exactly one rule of equals, startsWith, greaterThan, in',
    ],
    [
      { ...ADULT, tasks: [{ name: 'a', column: 'x', positive: { greaterThan: 'big' } }] },
      'tasks[0].positive.greaterThan',
      'must be a finite number, not "big"',
    ],
    [{ ...ADULT, tasks: [{ name: 'a', column: 'x', parent: 'b' }] }, 'tasks[0].parent', '"b" is not another task; tasks are a'],
    [
      {
        ...ADULT,
        tasks: [
          { name: 'a', column: 'x' },
          { name: 'a', column: 'y' },
        ],
      },
      'tasks[1].name',
      'duplicate task name "a"',
    ],
    [
      {
        ...ADULT,
        tasks: [
          { name: 'a', parent: 'b', column: 'x' },
          { name: 'b', parent: 'a', column: 'y' },
        ],
      },
      'tasks[0].parent',
      'parents form a cycle through "a"',
    ],
    [
      {
        ...ADULT,
        tasks: [
          { name: 'ctcvr', product: ['click'] },
          { name: 'click', column: 'c' },
        ],
      },
      'tasks[0].product',
      'needs at least two task names',
    ],
    [{ ...ADULT, tasks: [{ name: 'a' }] }, 'tasks[0].column', 'is required (only a product task may leave it out)'],
    [{ ...ADULT, tasks: undefined }, 'tasks', 'is required (or taskSets)'],
    [{ ...ADULT, defaultTaskSet: 'x' }, 'defaultTaskSet', '"x" is not allowed; use default'],
    [
      { ...ADULT, extra: 1 },
      '(spec).extra',
      'unknown key; allowed keys are name, description, format, files, split, features, tasks, taskSets, defaultTaskSet, group, vocabulary, synthetic, download, $schema',
    ],
    [{ ...ADULT, files: undefined }, 'files', 'is required (the data files: train, and optionally validation and test)'],
    [{ name: 's', synthetic: { clickRate: 0 } }, 'synthetic.clickRate', 'must be between 0.0001 and 0.999, not 0'],
    [
      { name: 's', synthetic: {}, files: { train: 'a' } },
      'files',
      'is not allowed with "synthetic" (the simulator defines its own columns and tasks)',
    ],
  ])('names the key of a mistake (%#)', (value, key, detail) => {
    const error = specError(value);
    expect(error.key).toBe(key);
    expect(error.detail).toBe(detail);
    expect(error.message).toBe(`spec.json: ${key}: ${detail}`);
  });
});

describe('listDatasets and describeDataset', () => {
  it('lists the built-ins, every one a valid spec', () => {
    const list = listDatasets();
    expect(list.map((d) => d.name)).toEqual([
      'synthetic',
      'simulated-shop',
      'census-income',
      'aliexpress',
      'ali-ccp',
      'ali-ccp-aitm',
      'ali-ccp-raw',
    ]);
    expect(list.find((d) => d.name === 'synthetic')).toMatchObject({
      needsFiles: false,
      taskSets: ['ektm', 'esmm'],
      defaultTaskSet: 'ektm',
    });
    for (const d of list) expect(d.description.length).toBeGreaterThan(50);
  });

  it('describes a dataset from its spec alone: files in the data dir, split rules and task rules in words', () => {
    const d = describeDataset('census-income', { dataDir: '/data' });
    expect(d.files).toEqual({ train: ['/data/census-income-kdd/census-income.test.gz'] });
    expect(d.split).toEqual({ validation: 'rows i of train with i % 10 at offset 7', test: 'rows i of train with i % 10 at offsets 8, 9' });
    expect(d.taskSets.ektm!.tasks.map((t) => t.rule)).toEqual([
      'weeks_worked_in_year == 52',
      'income starts with "50000+"',
      'capital_gains > 0',
      'dividends_from_stocks > 0',
    ]);
    const synthetic = describeDataset('synthetic');
    expect(synthetic.source).toBe('synthetic');
    expect(synthetic.taskSets.esmm!.tasks.map((t) => t.rule)).toEqual([
      'click (already 0/1)',
      'purchase (already 0/1)',
      'product of click x cvr',
    ]);
  });
});
