import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { SharedBottom } from '../index.js';
import { disposeLayerWeights, reloadThroughMemory } from '../persistence/test-models.js';

const X = [
  [1, -2, 0.5, 0],
  [-1, 3, 2, 1],
  [0, 0.25, -4, 2],
];

describe('SharedBottom', () => {
  it('hands one MLP output to every task as distinct tensors with equal values', () => {
    const block = new SharedBottom({ tasks: ['click', 'buy', 'share'], bottom: { units: [5, 3] }, seed: 1 });
    expect(block.inputKeys).toEqual(['$input']);
    expect(block.outputKeys).toEqual(['click', 'buy', 'share']);
    block.build([null, 4]);
    expect(block.weights.map((w) => w.shape)).toEqual([[4, 5], [5], [5, 3], [3]]);
    expect(block.computeOutputShape([null, 4])).toEqual([
      [null, 3],
      [null, 3],
      [null, 3],
    ]);
    const x = tf.tensor2d(X);
    const before = tf.memory().numTensors;
    const outputs = block.apply(x) as tf.Tensor[];
    expect(outputs).toHaveLength(3);
    expect(new Set(outputs).size).toBe(3);
    for (const out of outputs) {
      expect(out.shape).toEqual([3, 3]);
      expect(out.dtype).toBe('float32');
      expect(out.arraySync()).toEqual(outputs[0]!.arraySync());
    }
    // Disposing one task's tensor leaves the others usable (they are separate tensors sharing memory).
    outputs[0]!.dispose();
    expect(outputs[1]!.arraySync()).toEqual(outputs[2]!.arraySync());
    tf.dispose(outputs);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(x);
    disposeLayerWeights(block);
  });

  it('computes relu(relu(x·K1 + b1)·K2 + b2) exactly with set weights', () => {
    const block = new SharedBottom({ tasks: ['a'], bottom: { units: [2, 1] } });
    block.build([null, 4]);
    const K1 = [
      [1, 0],
      [0, 1],
      [1, -1],
      [0.5, 0.5],
    ];
    const K2 = [[2], [-1]];
    block.setWeights([tf.tensor2d(K1), tf.tensor1d([0, 1]), tf.tensor2d(K2), tf.tensor1d([0.5])]);
    const x = tf.tensor2d(X);
    const out = block.apply(x) as tf.Tensor;
    const relu = (v: number) => Math.max(0, v);
    const expected = X.map((row) => {
      const h = [0, 1].map((j) => relu(row.reduce((s, v, i) => s + v * K1[i]![j]!, j === 0 ? 0 : 1)));
      return [relu(h[0]! * 2 - h[1]! + 0.5)];
    });
    expect(out.arraySync()).toEqual(expected);
    tf.dispose([x, out]);
    disposeLayerWeights(block);
  });

  it('defaults to [128, 64] and validates the bottom options, naming the option', () => {
    expect(new SharedBottom({ tasks: ['a'] }).bottom.units).toEqual([128, 64]);
    expect(() => new SharedBottom({ tasks: ['a'], bottom: { units: [0] } })).toThrow(
      /backbone\.bottom\.units: \[0\] must be a non-empty array/,
    );
    expect(() => new SharedBottom({ tasks: ['a'], bottom: { units: [4], dropout: -1 } })).toThrow(
      /backbone\.bottom\.dropout: -1 must be in \[0, 1\)/,
    );
    expect(() => new SharedBottom({ tasks: [] })).toThrow(/outputKeys must be a non-empty array of record keys/);
    expect(() => new SharedBottom({ tasks: ['a', 'a'] })).toThrow(/outputKeys has duplicates: a, a/);
  });

  it('trains: a step changes its weights; config round trip and model save/load predict identically', async () => {
    const block = new SharedBottom({
      tasks: ['a', 'b'],
      bottom: { units: [6], normalization: 'batch', dropout: 0.1 },
      seed: 3,
      name: 'bottom',
    });
    const copy = SharedBottom.fromConfig(SharedBottom, block.getConfig()) as SharedBottom;
    expect(copy.getConfig()).toEqual(block.getConfig());
    const input = tfl.input({ shape: [4] });
    const model = tfl.model({ inputs: input, outputs: block.apply(input) as tfl.SymbolicTensor[] });
    const x = tf.tensor2d(X);
    const kernel = Array.from(block.getWeights()[0]!.dataSync());
    tf.train.adam(0.1).minimize(() => {
      const [a, b] = model.apply(x, { training: true }) as tf.Tensor[];
      return tf.add(tf.sum(a!), tf.mean(b!)) as tf.Scalar;
    });
    expect(Array.from(block.getWeights()[0]!.dataSync())).not.toEqual(kernel);
    const loaded = await reloadThroughMemory(model);
    const [p, q] = [model.predict(x) as tf.Tensor[], loaded.predict(x) as tf.Tensor[]];
    expect(q.map((t) => t.arraySync())).toEqual(p.map((t) => t.arraySync()));
    tf.dispose([x, ...p, ...q]);
    model.dispose();
    loaded.dispose();
  });
});
