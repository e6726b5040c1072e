import { describe, expect, it } from 'vitest';
import type { FeatureSpec } from '../features/feature-spec.js';
import { syntheticModel, syntheticTable } from '../training/synthetic-problem.js';
import { evaluate } from '../training/evaluate.js';
import { train } from '../training/train.js';
import { checkTableFeatures, TableFeatureError } from './check-table.js';
import { sliceTable, type EncodedTable } from './encoded-table.js';
import type { TableSource } from './table-source.js';

const FEATURES: FeatureSpec[] = [
  { name: 'user', type: 'categorical', vocabularySize: 5 },
  { name: 'price', type: 'numeric' },
  { name: 'occupation', type: 'categorical', vocabularySize: 52 },
  { name: 'age', type: 'numeric' },
];

/** A table fitting FEATURES: ids cycle through each vocabulary (0 included, vocabularySize − 1 included). */
function table(rows: number): EncodedTable {
  const categorical = new Int32Array(rows * 2);
  const numeric = new Float32Array(rows * 2);
  for (let r = 0; r < rows; r++) {
    categorical[r * 2] = r % 5;
    categorical[r * 2 + 1] = r % 52;
    numeric[r * 2] = r / 7;
    numeric[r * 2 + 1] = -r;
  }
  return { rows, categorical, categoricalCount: 2, numeric, numericCount: 2, labels: {} };
}

function thrown(fn: () => unknown): TableFeatureError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(TableFeatureError);
    return error as TableFeatureError;
  }
  throw new Error('expected a TableFeatureError');
}

describe('checkTableFeatures', () => {
  it('accepts every id in [0, vocabularySize), 0 (unknown / missing) included, and finite numbers', () => {
    expect(() => checkTableFeatures(table(1300), FEATURES)).not.toThrow();
    expect(() => checkTableFeatures(table(0), FEATURES)).not.toThrow();
  });

  it('names the feature, the id, the row and the allowed range of an out-of-range id, and counts the other bad rows', () => {
    const t = table(1300);
    t.categorical[1203 * 2 + 1] = 57;
    t.categorical[1250 * 2 + 1] = 52;
    const error = thrown(() => checkTableFeatures(t, FEATURES, { where: 'predict' }));
    expect(error.message).toBe(
      'predict: feature "occupation": id 57 at row 1203 is outside [0, 52) (vocabulary size 52); 2 rows of this feature are out of range. ' +
        'Encode the table with the vocabularies the model was built with; 0 is the id of unknown and missing values.',
    );
    expect([error.feature, error.row, error.value]).toEqual(['occupation', 1203, 57]);
  });

  it('rejects negative ids (a -1 "missing" marker would silently read another field\'s embedding row)', () => {
    const t = table(10);
    t.categorical[4 * 2] = -1;
    expect(thrown(() => checkTableFeatures(t, FEATURES)).message).toMatch(
      /^table: feature "user": id -1 at row 4 is outside \[0, 5\) \(vocabulary size 5\)\. Encode/,
    );
  });

  it('numbers rows from firstRow (a chunk of a stream)', () => {
    const t = table(10);
    t.categorical[3 * 2] = 5;
    expect(thrown(() => checkTableFeatures(t, FEATURES, { firstRow: 300 })).row).toBe(303);
  });

  it('rejects NaN and infinite numeric values, naming the feature, value and row', () => {
    const t = table(10);
    t.numeric[6 * 2 + 1] = Number.NaN;
    expect(thrown(() => checkTableFeatures(t, FEATURES, { where: 'evaluate' })).message).toBe(
      'evaluate: numeric feature "age": value NaN at row 6 is not finite; numeric features must be finite numbers ' +
        '(encode a missing value as a number, e.g. the training mean as @ektm/datasets does)',
    );
    const u = table(10);
    u.numeric[2 * 2] = -Infinity;
    expect(thrown(() => checkTableFeatures(u, FEATURES)).message).toMatch(
      /numeric feature "price": value -Infinity at row 2 is not finite/,
    );
  });

  it('names the expected columns when the table has too few or too many, and checks the array lengths', () => {
    const t = table(4);
    expect(thrown(() => checkTableFeatures({ ...t, categoricalCount: 1, categorical: t.categorical.slice(0, 4) }, FEATURES)).message).toBe(
      'table: the table has 1 categorical column; the model expects 2: user, occupation (in this order)',
    );
    expect(
      thrown(() =>
        checkTableFeatures(
          t,
          FEATURES.filter((f) => f.type === 'categorical'),
        ),
      ).message,
    ).toBe('table: the table has 2 numeric columns; the model expects none (in this order)');
    expect(thrown(() => checkTableFeatures({ ...t, categorical: t.categorical.slice(0, 7) }, FEATURES)).message).toBe(
      'table: table.categorical holds 7 ids; rows × categoricalCount is 4 × 2 = 8',
    );
    expect(thrown(() => checkTableFeatures({ ...t, numeric: new Float32Array(9) }, FEATURES)).message).toBe(
      'table: table.numeric holds 9 values; rows × numericCount is 4 × 2 = 8',
    );
    const floats = { ...t, categorical: Float32Array.from(t.categorical) as unknown as Int32Array };
    expect(thrown(() => checkTableFeatures(floats, FEATURES)).message).toBe(
      'table: table.categorical must be an Int32Array, got Float32Array',
    );
  });

  it('checks a table once per feature layout: a valid table is not read again until its arrays are replaced', () => {
    const t = table(100);
    checkTableFeatures(t, FEATURES);
    t.categorical[0] = 99; // changed in place after the check: documented as unseen
    expect(() => checkTableFeatures(t, FEATURES)).not.toThrow();
    // Another layout (a smaller vocabulary) is checked afresh.
    const smaller = FEATURES.map((f) => (f.name === 'user' ? { ...f, vocabularySize: 4 } : f));
    expect(thrown(() => checkTableFeatures(t, smaller)).feature).toBe('user');
    // Replaced arrays are checked afresh.
    t.categorical = t.categorical.slice();
    expect(thrown(() => checkTableFeatures(t, FEATURES)).message).toMatch(/feature "user": id 99 at row 0/);
  });

  it('validates 100k rows × 20 fields in milliseconds, and a repeated check is free', () => {
    const features: FeatureSpec[] = Array.from({ length: 20 }, (_, i) => ({ name: `f${i}`, type: 'categorical', vocabularySize: 10_000 }));
    const rows = 100_000;
    const categorical = new Int32Array(rows * 20);
    for (let k = 0; k < categorical.length; k++) categorical[k] = (k * 7919) % 10_000;
    const big: EncodedTable = { rows, categorical, categoricalCount: 20, numeric: new Float32Array(0), numericCount: 0, labels: {} };
    let t0 = performance.now();
    checkTableFeatures(big, features);
    const first = performance.now() - t0;
    t0 = performance.now();
    for (let i = 0; i < 100; i++) checkTableFeatures(big, features);
    const repeated = (performance.now() - t0) / 100;
    expect(first).toBeLessThan(100); // about 6 ms here; generous for a loaded CI machine
    expect(repeated).toBeLessThan(1);
  });
});

describe('tables fed to a model are checked against its features', () => {
  const badItem = (): EncodedTable => {
    const t = syntheticTable(300, 1);
    t.categorical[250 * 3 + 1] = 40; // item: vocabulary 32
    return t;
  };
  // Id 30 of "user" (vocabulary 24) is a valid row of the shared d=4 table (it belongs to "item"): without the check
  // the model would silently use the wrong embedding.
  const badUser = (): EncodedTable => {
    const t = syntheticTable(300, 1);
    t.categorical[17 * 3] = 30;
    return t;
  };

  it('predict and evaluate', () => {
    const model = syntheticModel(1);
    expect(() => model.predict(badItem())).toThrow(
      /^predict: feature "item": id 40 at row 250 is outside \[0, 32\) \(vocabulary size 32\)\./,
    );
    expect(() => model.predict(badUser())).toThrow(
      /^predict: feature "user": id 30 at row 17 is outside \[0, 24\) \(vocabulary size 24\)\./,
    );
    expect(() => evaluate(model, badItem())).toThrow(/^evaluate: feature "item": id 40 at row 250/);
    const t = syntheticTable(50, 1);
    expect(() => model.predict({ ...t, categoricalCount: 2, categorical: t.categorical.slice(0, 100) })).toThrow(
      'predict: the table has 2 categorical columns; the model expects 3: user, item, context (in this order)',
    );
    model.dispose();
  });

  it('train: the training and the validation table, before the first step', async () => {
    const model = syntheticModel(1);
    let steps = 0;
    const callbacks = { onBatchEnd: () => void steps++ };
    await expect(train(model, { train: badItem(), epochs: 1, progress: 'none', callbacks })).rejects.toThrow(
      /^train: options\.train: feature "item": id 40 at row 250 is outside \[0, 32\)/,
    );
    await expect(
      train(model, { train: syntheticTable(300, 2), validation: badUser(), epochs: 1, progress: 'none', callbacks }),
    ).rejects.toThrow(/^train: options\.validation: feature "user": id 30 at row 17 is outside \[0, 24\)/);
    expect(steps).toBe(0);
    model.dispose();
  });

  it('train: the chunks of a streaming source, with rows counted across chunks', async () => {
    const model = syntheticModel(1);
    const bad = badItem();
    const source: TableSource = {
      rows: 300,
      async *chunks() {
        for (let s = 0; s < 300; s += 100) yield sliceTable(bad, s, s + 100);
      },
    };
    await expect(train(model, { train: source, epochs: 1, batchSize: 64, progress: 'none' })).rejects.toThrow(
      'train: options.train (a TableSource; rows counted from the start of epoch 1): feature "item": id 40 at row 250 is outside [0, 32)',
    );
    model.dispose();
  });
});
