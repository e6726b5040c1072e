import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { FeatureEmbedding, type FeatureSpec } from '../index.js';
import { disposeLayerWeights, reloadThroughMemory } from '../persistence/test-models.js';

// Two tables: dim 3 (user: rows 0-4, tag_a and tag_b share rows 5-7) and dim 2 (item: rows 0-3); one numeric field.
const features: FeatureSpec[] = [
  { name: 'user', type: 'categorical', vocabularySize: 5 },
  { name: 'item', type: 'categorical', vocabularySize: 4, embeddingDim: 2 },
  { name: 'price', type: 'numeric' },
  { name: 'tag_a', type: 'categorical', vocabularySize: 3, sharedEmbedding: 'tags' },
  { name: 'tag_b', type: 'categorical', vocabularySize: 3, sharedEmbedding: 'tags' },
];
// Categorical columns in feature order: user, item, tag_a, tag_b.
const ids = [
  [0, 3, 1, 1],
  [4, 0, 2, 0],
  [2, 1, 0, 2],
];
const prices = [[0.5], [-1.25], [3]];

/** Table values that make every row recognisable: row r of the dim-d table is [r + 0.1·d, ...]. */
function tables(): { table3: number[][]; table2: number[][] } {
  const table3 = Array.from({ length: 8 }, (_, r) => [r, r + 0.25, -r]);
  const table2 = Array.from({ length: 4 }, (_, r) => [10 + r, -10 - r]);
  return { table3, table2 };
}

function build(): FeatureEmbedding {
  const layer = new FeatureEmbedding({ features, embeddingDim: 3, name: 'emb' });
  layer.build([
    [null, 4],
    [null, 1],
  ]);
  return layer;
}

describe('FeatureEmbedding', () => {
  it('has one table per embedding dimension; shared fields share rows', () => {
    const layer = build();
    expect(layer.weights.map((w) => w.shape)).toEqual([
      [5 + 3, 3],
      [4, 2],
    ]);
    expect(layer.outputDim).toBe(3 + 2 + 3 + 3 + 1);
    expect(layer.inputKeys).toEqual(['$categorical', '$numeric']);
    expect(layer.outputKeys).toEqual(['$input']);
    disposeLayerWeights(layer);
  });

  it('outputs the table rows at id + field offset, grouped by table, then the numeric fields (exact)', () => {
    const layer = build();
    const { table3, table2 } = tables();
    layer.setWeights([tf.tensor2d(table3), tf.tensor2d(table2)]);
    const before = tf.memory().numTensors;
    const x = tf.tensor2d(ids, [3, 4], 'int32');
    const p = tf.tensor2d(prices);
    const out = layer.apply([x, p]) as tf.Tensor;
    expect(out.shape).toEqual([3, 12]);
    expect(out.dtype).toBe('float32');
    const expected = ids.map(([user, item, tagA, tagB], i) => [
      ...table3[user!]!,
      ...table3[5 + tagA!]!,
      ...table3[5 + tagB!]!,
      ...table2[item!]!,
      prices[i]![0]!,
    ]);
    expect(out.arraySync()).toEqual(expected);
    tf.dispose([x, p, out]);
    expect(tf.memory().numTensors).toBe(before);
    disposeLayerWeights(layer);
  });

  it('works without numeric features and with a single table (no column gather)', () => {
    const layer = new FeatureEmbedding({
      features: [
        { name: 'a', type: 'categorical', vocabularySize: 3 },
        { name: 'b', type: 'categorical', vocabularySize: 2 },
      ],
      embeddingDim: 2,
    });
    expect(layer.inputKeys).toEqual(['$categorical']);
    layer.build([null, 2]);
    layer.setWeights([
      tf.tensor2d([
        [0, 1],
        [2, 3],
        [4, 5],
        [6, 7],
        [8, 9],
      ]),
    ]);
    const x = tf.tensor2d(
      [
        [2, 1],
        [0, 0],
      ],
      [2, 2],
      'int32',
    );
    const out = layer.apply(x) as tf.Tensor;
    expect(out.arraySync()).toEqual([
      [4, 5, 8, 9],
      [0, 1, 6, 7],
    ]);
    tf.dispose([x, out]);
    disposeLayerWeights(layer);
  });

  it('trains: one gradient step changes exactly the rows that were looked up, shared rows from both fields', () => {
    const layer = build();
    const x = tf.tensor2d([[1, 2, 0, 2]], [1, 4], 'int32');
    const p = tf.tensor2d([[1]]);
    const table3 = layer.weights[0]!.read().arraySync() as number[][];
    tf.train.sgd(0.5).minimize(() => tf.sum(layer.apply([x, p]) as tf.Tensor) as tf.Scalar);
    const after = layer.weights[0]!.read().arraySync() as number[][];
    const changed = after.map((row, r) => row.some((v, j) => v !== table3[r]![j]));
    // user id 1 → row 1; tag_a id 0 → row 5; tag_b id 2 → row 7.
    expect(changed).toEqual([false, true, false, false, false, true, false, true]);
    // d sum / d row = 1 per lookup: each used row moved by -0.5.
    expect(after[1]![0]).toBeCloseTo(table3[1]![0]! - 0.5, 6);
    tf.dispose([x, p]);
    disposeLayerWeights(layer);
  });

  it('a shared table gets the gradients of both fields', () => {
    const layer = build();
    const x = tf.tensor2d([[0, 0, 1, 1]], [1, 4], 'int32');
    const p = tf.tensor2d([[0]]);
    const before = layer.weights[0]!.read().arraySync() as number[][];
    tf.train.sgd(1).minimize(() => tf.sum(layer.apply([x, p]) as tf.Tensor) as tf.Scalar);
    const after = layer.weights[0]!.read().arraySync() as number[][];
    expect(after[6]![0]).toBeCloseTo(before[6]![0]! - 2, 6); // looked up twice (tag_a and tag_b = 1)
    expect(after[0]![0]).toBeCloseTo(before[0]![0]! - 1, 6);
    tf.dispose([x, p]);
    disposeLayerWeights(layer);
  });

  it('validates its options, naming the field and the option', () => {
    expect(() => new FeatureEmbedding({ features: [{ name: 'p', type: 'numeric' }] })).toThrow(
      /features: at least one categorical feature/,
    );
    expect(() => new FeatureEmbedding({ features: [{ name: 'u', type: 'categorical', vocabularySize: 0 }] })).toThrow(
      /features\["u"\]\.vocabularySize: 0 must be a positive integer/,
    );
    expect(() => new FeatureEmbedding({ features: [{ name: 'u', type: 'categorical', vocabularySize: 3 }], embeddingDim: 2.5 })).toThrow(
      /embeddingDim: 2\.5 must be a positive integer/,
    );
    expect(
      () =>
        new FeatureEmbedding({
          features: [
            { name: 'a', type: 'categorical', vocabularySize: 3, sharedEmbedding: 't' },
            { name: 'b', type: 'categorical', vocabularySize: 4, sharedEmbedding: 't' },
          ],
        }),
    ).toThrow(/features\["b"\]\.sharedEmbedding "t": vocabularySize and embeddingDim must match/);
  });

  it('is seeded: the same seed builds the same tables, another seed other tables', () => {
    const make = (seed: number) => {
      const layer = new FeatureEmbedding({ features, seed });
      layer.build([
        [null, 4],
        [null, 1],
      ]);
      const values = layer.getWeights().map((w) => Array.from(w.dataSync()));
      disposeLayerWeights(layer);
      return values;
    };
    expect(make(3)).toEqual(make(3));
    expect(make(3)).not.toEqual(make(4));
  });

  it('config round trip: fromConfig(getConfig()) and a model save/load give identical outputs', async () => {
    const layer = new FeatureEmbedding({ features, embeddingDim: 3, seed: 11, initStddev: 0.2, name: 'emb' });
    const copy = FeatureEmbedding.fromConfig(FeatureEmbedding, layer.getConfig()) as FeatureEmbedding;
    expect(copy.getConfig()).toEqual(layer.getConfig());
    expect(copy.features).toEqual(features);

    const categorical = tfl.input({ shape: [4], dtype: 'int32' });
    const numeric = tfl.input({ shape: [1] });
    const model = tfl.model({ inputs: [categorical, numeric], outputs: layer.apply([categorical, numeric]) as tfl.SymbolicTensor });
    const loaded = await reloadThroughMemory(model);
    expect((loaded.layers[2] as FeatureEmbedding).features).toEqual(features);
    const x = tf.tensor2d(ids, [3, 4], 'int32');
    const p = tf.tensor2d(prices);
    const [a, b] = [model.predict([x, p]) as tf.Tensor, loaded.predict([x, p]) as tf.Tensor];
    expect(b.arraySync()).toEqual(a.arraySync());
    tf.dispose([x, p, a, b]);
    model.dispose();
    loaded.dispose();
  });
});
