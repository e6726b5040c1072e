import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { buildMultiTaskModel, tableInputs } from '@ektm/core';
import { TaskRouter } from '@ektm/router';
import { TaskTransmitter, transmittedKey, type TaskTransmitterArgs } from './index.js';
import { perTaskBackbone, saveAndLoad, tinyFeatures, tinyTable, values } from '@ektm/testing';

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

function expectClose(actual: number[], expected: number[]): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5));
}

describe('TaskTransmitter: exact values', () => {
  it('gated MLP: g = σ(W[F_i; f_i] + b) ⊙ MLP(F_i), the gate reading F_i first and f_i second', () => {
    const transmitter = new TaskTransmitter({ task: 'a' });
    expect(transmitter.inputKeys).toEqual(['routed:a', 'a']);
    expect(transmitter.outputKeys).toEqual(['transmitted:a']);
    const routed = tf.tensor2d([[1, 2]]);
    const own = tf.tensor2d([[3, -1]]);
    tf.dispose(transmitter.apply([routed, own]) as tf.Tensor);
    // MLP = identity (one linear layer); gate unit 0 reads F_i[0], unit 1 reads f_i[1], bias [0, 0.5].
    transmitter.setWeights([
      tf.tensor2d([
        [1, 0],
        [0, 1],
      ]),
      tf.zeros([2]),
      tf.tensor2d([
        [1, 0],
        [0, 0],
        [0, 0],
        [0, 1],
      ]),
      tf.tensor1d([0, 0.5]),
    ]);
    const out = transmitter.apply([routed, own]) as tf.Tensor;
    expectClose(values(out), [sigmoid(1) * 1, sigmoid(-1 + 0.5) * 2]);
    tf.dispose([out, routed, own]);
  });

  it('MLP: the stack on F_i alone, f_i is ignored', () => {
    const transmitter = new TaskTransmitter({ task: 'a', kind: 'mlp', units: [2] });
    const routed = tf.tensor2d([[1, -2]]);
    tf.dispose(transmitter.apply([routed, tf.ones([1, 2])]) as tf.Tensor);
    transmitter.setWeights([
      tf.tensor2d([
        [2, 0],
        [0, 3],
      ]),
      tf.tensor1d([1, 1]),
    ]);
    const out1 = transmitter.apply([routed, tf.ones([1, 2])]) as tf.Tensor;
    const out2 = transmitter.apply([routed, tf.zeros([1, 2])]) as tf.Tensor;
    expectClose(values(out1), [3, -5]);
    expect(values(out2)).toEqual(values(out1));
    tf.dispose([out1, out2, routed]);
  });

  it('identity: F_i unchanged, no weights', () => {
    const transmitter = new TaskTransmitter({ task: 'a', kind: 'identity' });
    const routed = tf.tensor2d([[1, -2, 3]]);
    const out = transmitter.apply([routed, tf.ones([1, 3])]) as tf.Tensor;
    expect(values(out)).toEqual([1, -2, 3]);
    expect(transmitter.weights.length).toBe(0);
    tf.dispose([out, routed]);
  });

  it('without a router (routedKey = task) it reads one entry and gates on [f_i; f_i]', () => {
    const transmitter = new TaskTransmitter({ task: 'a', routedKey: 'a', outputKey: 'a' });
    expect(transmitter.inputKeys).toEqual(['a']);
    expect(transmitter.outputKeys).toEqual(['a']);
    const own = tf.tensor2d([[1, 2]]);
    tf.dispose(transmitter.apply(own) as tf.Tensor);
    transmitter.setWeights([
      tf.tensor2d([
        [1, 0],
        [0, 1],
      ]),
      tf.zeros([2]),
      tf.tensor2d([
        [1, 0],
        [0, 0],
        [0, 0],
        [0, 1],
      ]),
      tf.zeros([2]),
    ]);
    const out = transmitter.apply(own) as tf.Tensor;
    expectClose(values(out), [sigmoid(1) * 1, sigmoid(2) * 2]);
    tf.dispose([out, own]);
  });
});

describe('TaskTransmitter: the tfjs layer checklist', () => {
  it('output shape and dtype: the task width by default, the last of units otherwise', () => {
    const routed = tf.ones([3, 5]);
    const own = tf.ones([3, 4]);
    const cases: Array<[Partial<TaskTransmitterArgs>, number]> = [
      [{}, 4],
      [{ units: [8, 6] }, 6],
      [{ kind: 'identity' }, 5],
    ];
    for (const [args, width] of cases) {
      const transmitter = new TaskTransmitter({ task: 'a', ...args });
      expect(
        transmitter.computeOutputShape([
          [null, 5],
          [null, 4],
        ]),
      ).toEqual([null, width]);
      const out = transmitter.apply([routed, own]) as tf.Tensor;
      expect(out.shape).toEqual([3, width]);
      expect(out.dtype).toBe('float32');
      out.dispose();
    }
    tf.dispose([routed, own]);
  });

  it('one training step lowers the loss and changes the MLP and the gate', () => {
    const transmitter = new TaskTransmitter({ task: 'a', seed: 3 });
    const routed = tf.randomNormal([16, 4], 0, 1, 'float32', 1);
    const own = tf.randomNormal([16, 4], 0, 1, 'float32', 2);
    const goal = tf.randomNormal([16, 4], 0, 1, 'float32', 3);
    const loss = () => tf.tidy(() => tf.mean(tf.square(tf.sub(transmitter.apply([routed, own]) as tf.Tensor, goal))) as tf.Scalar);
    tf.dispose(loss());
    const before = transmitter.getWeights().map(values);
    const l0 = loss();
    const l0v = l0.dataSync()[0]!;
    tf.train.sgd(0.2).minimize(loss);
    const l1 = loss();
    expect(l1.dataSync()[0]!).toBeLessThan(l0v);
    transmitter
      .getWeights()
      .map(values)
      .forEach((w, i) => expect(w).not.toEqual(before[i]));
    tf.dispose([l0, l1, routed, own, goal]);
  });

  it('config round trip builds the same transmitter', () => {
    const transmitter = new TaskTransmitter({
      task: 'a',
      kind: 'mlp',
      units: [7, 3],
      activation: 'elu',
      activateLast: true,
      dropout: 0.1,
      seed: 9,
      routedKey: 'x',
      outputKey: 'y',
      name: 't',
    });
    const config = transmitter.getConfig();
    const copy = TaskTransmitter.fromConfig(TaskTransmitter, config) as TaskTransmitter;
    expect(copy.getConfig()).toEqual(config);
    expect(copy.inputKeys).toEqual(['x', 'a']);
    expect(
      (TaskTransmitter.fromConfig(TaskTransmitter, new TaskTransmitter({ task: 'b' }).getConfig()) as TaskTransmitter).units,
    ).toBeUndefined();
  });

  it('leaks no tensors in a forward pass or a training step', () => {
    const transmitter = new TaskTransmitter({ task: 'a', dropout: 0.2 });
    const inputs = [tf.ones([4, 3]), tf.ones([4, 3])];
    tf.dispose(transmitter.apply(inputs) as tf.Tensor);
    const optimizer = tf.train.adam(0.01);
    const step = () => optimizer.minimize(() => tf.sum(transmitter.apply(inputs, { training: true }) as tf.Tensor) as tf.Scalar);
    step();
    const before = tf.memory().numTensors;
    tf.dispose(transmitter.apply(inputs) as tf.Tensor);
    step();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(inputs);
  });

  it('validates its options with errors that name them', () => {
    expect(() => new TaskTransmitter({ task: '' })).toThrow(/transmitter\.task/);
    expect(() => new TaskTransmitter({ task: 'a', kind: 'attention' as never })).toThrow(/transmitter "a"\.kind.*gated-mlp, mlp, identity/);
    expect(() => new TaskTransmitter({ task: 'a', units: [] })).toThrow(/transmitter "a"\.units/);
    expect(() => new TaskTransmitter({ task: 'a', activation: 'tanh' as never })).toThrow(/transmitter "a"\.activation/);
    expect(() => new TaskTransmitter({ task: 'a', dropout: 1 })).toThrow(/transmitter "a"\.dropout/);
  });

  it('saves and loads inside a model (router → transmitters) with identical predictions', async () => {
    const model = buildMultiTaskModel({
      features: tinyFeatures,
      tasks: [{ name: 'click' }, { name: 'a' }, { name: 'b' }],
      backbone: perTaskBackbone(4),
      blocks: [
        (ctx) => new TaskRouter({ sources: ['click'], targets: ['a', 'b'], seed: ctx.seed }),
        (ctx) => ['a', 'b'].map((task, i) => new TaskTransmitter({ task, outputKey: task, seed: ctx.seed + i })),
      ],
      tower: { units: [3] },
    });
    const table = tinyTable(12);
    const loaded = await saveAndLoad(model.model);
    const inputs = tableInputs(table);
    const a = model.model.predict([inputs.categorical, inputs.numeric!]) as tf.Tensor[];
    const b = loaded.predict([inputs.categorical, inputs.numeric!]) as tf.Tensor[];
    a.forEach((t, i) => expect(values(b[i]!)).toEqual(values(t)));
    expect(transmittedKey('a')).toBe('transmitted:a');
    tf.dispose([...a, ...b, inputs.categorical, inputs.numeric!]);
  });
});
