import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { TaskTower } from '../index.js';
import { disposeLayerWeights, reloadThroughMemory } from '../persistence/test-models.js';

const X = [
  [1, -2, 0.5, 0],
  [-1, 3, 2, 1],
  [0, 0.25, -4, 2],
];

describe('TaskTower', () => {
  it('maps <task> [B, d] to prob:<task> [B, 1] in (0, 1)', () => {
    const tower = new TaskTower({ task: 'click', hidden: { units: [4] }, seed: 2 });
    expect(tower.inputKeys).toEqual(['click']);
    expect(tower.outputKeys).toEqual(['prob:click']);
    tower.build([null, 4]);
    expect(tower.weights.map((w) => w.shape)).toEqual([[4, 4], [4], [4, 1], [1]]);
    const x = tf.tensor2d(X);
    const before = tf.memory().numTensors;
    const p = tower.apply(x) as tf.Tensor;
    expect(p.shape).toEqual([3, 1]);
    expect(p.dtype).toBe('float32');
    for (const v of p.dataSync()) expect(v > 0 && v < 1).toBe(true);
    p.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(x);
    disposeLayerWeights(tower);
  });

  it('with no hidden layers is a logistic head: sigmoid(x·k + b) exactly; linear output for regression', () => {
    const k = [[0.5], [-1], [2], [0]];
    const logits = X.map((row) => row.reduce((s, v, i) => s + v * k[i]![0]!, -0.25));
    const x = tf.tensor2d(X);

    const logistic = new TaskTower({ task: 't', hidden: { units: [] } });
    logistic.build([null, 4]);
    logistic.setWeights([tf.tensor2d(k), tf.tensor1d([-0.25])]);
    const p = logistic.apply(x) as tf.Tensor;
    (p.arraySync() as number[][]).forEach(([v], i) => expect(v).toBeCloseTo(1 / (1 + Math.exp(-logits[i]!)), 6));

    const linear = new TaskTower({ task: 't', hidden: { units: [] }, outputActivation: 'linear' });
    linear.build([null, 4]);
    linear.setWeights([tf.tensor2d(k), tf.tensor1d([-0.25])]);
    const y = linear.apply(x) as tf.Tensor;
    expect(y.arraySync()).toEqual(logits.map((v) => [v]));
    tf.dispose([x, p, y]);
    disposeLayerWeights(logistic);
    disposeLayerWeights(linear);
  });

  it('normalises hidden layers but never its logit (a layer-normed single unit would be constant)', () => {
    const tower = new TaskTower({ task: 't', hidden: { units: [3], normalization: 'layer' }, seed: 4 });
    tower.build([null, 4]);
    expect(tower.weights.map((w) => w.originalName)).toEqual([
      'dense0/kernel',
      'dense0/bias',
      'dense0/gamma',
      'dense0/beta',
      'dense1/kernel',
      'dense1/bias',
    ]);
    const x = tf.tensor2d(X);
    const p = tower.apply(x) as tf.Tensor;
    expect(new Set(p.dataSync()).size).toBe(3);
    tf.dispose([x, p]);
    disposeLayerWeights(tower);
  });

  it('validates its options, naming the task and the option', () => {
    expect(() => new TaskTower({ task: 'click', hidden: { units: [-1] } })).toThrow(/tower "click"\.hidden\.units: \[-1\]/);
    expect(() => new TaskTower({ task: 'click', outputActivation: 'softmax' as never })).toThrow(
      /tower "click"\.outputActivation: "softmax" is not allowed; use sigmoid or linear/,
    );
    expect(() => new TaskTower({ task: 'click', hidden: { units: [2], normalization: 'weird' as never } })).toThrow(
      /tower "click"\.hidden\.normalization/,
    );
  });

  it('config round trip and model save/load predict identically', async () => {
    const tower = new TaskTower({ task: 'cvr', hidden: { units: [5, 2], activation: 'elu' }, outputActivation: 'sigmoid', seed: 8 });
    const copy = TaskTower.fromConfig(TaskTower, tower.getConfig()) as TaskTower;
    expect(copy.getConfig()).toEqual(tower.getConfig());
    const input = tfl.input({ shape: [4] });
    const model = tfl.model({ inputs: input, outputs: tower.apply(input) as tfl.SymbolicTensor });
    const loaded = await reloadThroughMemory(model);
    const x = tf.tensor2d(X);
    const [p, q] = [model.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor];
    expect(q.arraySync()).toEqual(p.arraySync());
    tf.dispose([x, p, q]);
    model.dispose();
    loaded.dispose();
  });
});
