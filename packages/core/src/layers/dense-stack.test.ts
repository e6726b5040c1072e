// DenseStack is exercised through Mlp, the block that is nothing but a dense stack over one record entry.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { Mlp, type MlpArgs } from '../index.js';
import { disposeLayerWeights, reloadThroughMemory } from '../persistence/test-models.js';

const X = [
  [1, -2, 0.5],
  [-1, 3, 2],
  [0, 0.25, -4],
  [2, 1, 1],
];

function mlp(args: Partial<MlpArgs> & { units: number[] }, inputDim = 3): Mlp {
  const layer = new Mlp({ key: 'x', seed: 5, ...args });
  layer.build([null, inputDim]);
  return layer;
}

/** Runs the layer on X and returns plain arrays. */
function run(layer: Mlp, training = false, x: number[][] = X): number[][] {
  const input = tf.tensor2d(x);
  const out = layer.apply(input, { training }) as tf.Tensor;
  const values = out.arraySync() as number[][];
  tf.dispose([input, out]);
  return values;
}

function matmul(x: number[][], k: number[][], b: number[]): number[][] {
  return x.map((row) => b.map((bias, j) => row.reduce((s, v, i) => s + v * k[i]![j]!, bias)));
}

const K = [
  [1, 0.5],
  [-1, 2],
  [0.25, -0.5],
];
const B = [0.5, -1];

describe('DenseStack (through Mlp)', () => {
  it('a one-layer linear stack is exactly x·K + b', () => {
    const layer = mlp({ units: [2], activation: 'linear' });
    expect(layer.weights.map((w) => w.shape)).toEqual([[3, 2], [2]]);
    layer.setWeights([tf.tensor2d(K), tf.tensor1d(B)]);
    const before = tf.memory().numTensors;
    expect(run(layer)).toEqual(matmul(X, K, B));
    expect(tf.memory().numTensors).toBe(before);
    disposeLayerWeights(layer);
  });

  it.each([
    ['relu', (z: number) => Math.max(0, z)],
    ['sigmoid', (z: number) => 1 / (1 + Math.exp(-z))],
    ['elu', (z: number) => (z > 0 ? z : Math.exp(z) - 1)],
    ['relu6', (z: number) => Math.min(6, Math.max(0, z))],
    ['leakyrelu', (z: number) => (z > 0 ? z : 0.2 * z)],
    ['linear', (z: number) => z],
  ] as const)('applies the %s activation after the layer', (activation, f) => {
    const layer = mlp({ units: [2], activation });
    layer.setWeights([tf.mul(tf.tensor2d(K), 4), tf.tensor1d(B)]);
    const z = matmul(
      X,
      K.map((r) => r.map((v) => v * 4)),
      B,
    );
    const out = run(layer);
    out.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(f(z[i]![j]!), 5)));
    disposeLayerWeights(layer);
  });

  it('two layers: relu after the hidden layer, none after the last when activateLast is false (exact)', () => {
    const layer = mlp({ units: [2, 1], activateLast: false });
    const K2 = [[2], [-3]];
    layer.setWeights([tf.tensor2d(K), tf.tensor1d(B), tf.tensor2d(K2), tf.tensor1d([0.25])]);
    const hidden = matmul(X, K, B).map((r) => r.map((v) => Math.max(0, v)));
    expect(run(layer)).toEqual(matmul(hidden, K2, [0.25]));
    disposeLayerWeights(layer);
  });

  it('dropout acts in training only: zeros and 1/(1-rate) scaling, a new mask per call; inference is deterministic', () => {
    const layer = mlp({ units: [64], activation: 'linear', dropout: 0.5 });
    const plain = mlp({ units: [64], activation: 'linear' });
    layer.setWeights([tf.ones([3, 64]), tf.ones([64])]);
    plain.setWeights([tf.ones([3, 64]), tf.ones([64])]);
    // Inference ignores dropout; training drops units of a linear hidden stack too.
    expect(run(layer, false)).toEqual(run(plain, false));
    expect(
      run(layer, true)
        .flat()
        .filter((v) => v === 0).length,
    ).toBeGreaterThan(0);
    disposeLayerWeights(layer);
    // A logit layer (activateLast: false) is never dropped.
    const logit = mlp({ units: [64], activateLast: false, dropout: 0.5 });
    logit.setWeights([tf.ones([3, 64]), tf.ones([64])]);
    expect(run(logit, true)).toEqual(run(plain, true));
    disposeLayerWeights(logit);

    const relu = mlp({ units: [64], dropout: 0.5 });
    relu.setWeights([tf.ones([3, 64]), tf.ones([64])]);
    const x = [[1, 1, 1]];
    expect(run(relu, false, x)).toEqual([Array(64).fill(4)]);
    const first = run(relu, true, x)[0]!;
    const second = run(relu, true, x)[0]!;
    expect(new Set(first)).toEqual(new Set([0, 8]));
    const zeros = first.filter((v) => v === 0).length;
    expect(zeros).toBeGreaterThan(10);
    expect(zeros).toBeLessThan(54);
    expect(second).not.toEqual(first);
    expect(run(relu, false, x)).toEqual([Array(64).fill(4)]);
    disposeLayerWeights(relu);
    disposeLayerWeights(plain);
  });

  it('layer norm normalises each row, then gamma and beta (exact formula, epsilon 1e-3)', () => {
    const layer = mlp({ units: [2], activation: 'linear', normalization: 'layer' });
    expect(layer.weights.map((w) => w.originalName)).toEqual(['dense0/kernel', 'dense0/bias', 'dense0/gamma', 'dense0/beta']);
    const gamma = [2, 0.5];
    const beta = [0.1, -0.3];
    layer.setWeights([tf.tensor2d(K), tf.tensor1d(B), tf.tensor1d(gamma), tf.tensor1d(beta)]);
    const z = matmul(X, K, B);
    const expected = z.map((row) => {
      const mean = row.reduce((a, b) => a + b, 0) / row.length;
      const variance = row.reduce((a, b) => a + (b - mean) ** 2, 0) / row.length;
      return row.map((v, j) => ((v - mean) / Math.sqrt(variance + 1e-3)) * gamma[j]! + beta[j]!);
    });
    run(layer).forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(expected[i]![j]!, 5)));
    expect(run(layer, true)).toEqual(run(layer, false));
    disposeLayerWeights(layer);
  });

  it('batch norm uses batch statistics in training and updates the moving ones, which inference uses', () => {
    const layer = mlp({ units: [2], activation: 'linear', normalization: 'batch' });
    const short = (w: tfl.LayerVariable) => w.originalName.split('/').pop();
    expect(layer.weights.map(short)).toEqual(['kernel', 'bias', 'gamma', 'beta', 'moving_mean', 'moving_variance']);
    expect(layer.trainableWeights.map(short)).toEqual(['kernel', 'bias', 'gamma', 'beta']);
    layer.setWeights([tf.tensor2d(K), tf.tensor1d(B), tf.ones([2]), tf.zeros([2]), tf.zeros([2]), tf.ones([2])]);
    const z = matmul(X, K, B);
    const mean = [0, 1].map((j) => z.reduce((s, r) => s + r[j]!, 0) / z.length);
    const variance = [0, 1].map((j) => z.reduce((s, r) => s + (r[j]! - mean[j]!) ** 2, 0) / z.length);

    // Inference before any training: moving mean 0 and variance 1.
    run(layer).forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(z[i]![j]! / Math.sqrt(1 + 1e-3), 5)));
    // Training: the batch's own statistics.
    const trained = run(layer, true);
    trained.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo((z[i]![j]! - mean[j]!) / Math.sqrt(variance[j]! + 1e-3), 5)));
    // Moving statistics moved by momentum 0.99.
    const [movingMean, movingVariance] = layer
      .getWeights()
      .slice(4)
      .map((t) => Array.from(t.dataSync()));
    movingMean!.forEach((v, j) => expect(v).toBeCloseTo(0.01 * mean[j]!, 6));
    movingVariance!.forEach((v, j) => expect(v).toBeCloseTo(0.99 + 0.01 * variance[j]!, 6));
    // Inference uses them.
    run(layer).forEach((row, i) =>
      row.forEach((v, j) => expect(v).toBeCloseTo((z[i]![j]! - movingMean![j]!) / Math.sqrt(movingVariance![j]! + 1e-3), 5)),
    );
    disposeLayerWeights(layer);
  });

  it('batch norm moving statistics update inside optimizer.minimize and do not leak tensors', () => {
    const layer = mlp({ units: [4], normalization: 'batch' });
    const x = tf.tensor2d(X);
    const optimizer = tf.train.sgd(0.1);
    const step = () => optimizer.minimize(() => tf.mean(tf.square(layer.apply(x, { training: true }) as tf.Tensor)) as tf.Scalar);
    step();
    const before = tf.memory().numTensors;
    const kernel = Array.from(layer.getWeights()[0]!.dataSync());
    const moving = Array.from(layer.getWeights()[4]!.dataSync());
    step();
    expect(Array.from(layer.getWeights()[0]!.dataSync())).not.toEqual(kernel);
    expect(Array.from(layer.getWeights()[4]!.dataSync())).not.toEqual(moving);
    expect(tf.memory().numTensors).toBeLessThanOrEqual(before);
    tf.dispose(x);
    optimizer.dispose();
    disposeLayerWeights(layer);
  });

  it('a last layer left linear (a logit) is not normalised; training lowers the loss of a deeper stack', () => {
    const layer = mlp({ units: [8, 1], activateLast: false, normalization: 'layer', dropout: 0.1 });
    expect(layer.weights.map((w) => w.originalName)).toEqual([
      'dense0/kernel',
      'dense0/bias',
      'dense0/gamma',
      'dense0/beta',
      'dense1/kernel',
      'dense1/bias',
    ]);
    const x = tf.tensor2d(X);
    const y = tf.tensor2d([[1], [-1], [0.5], [2]]);
    const loss = (training: boolean) =>
      tf.tidy(() => tf.mean(tf.square(tf.sub(layer.apply(x, { training }) as tf.Tensor, y))) as tf.Scalar);
    const first = loss(false).dataSync()[0]!;
    const optimizer = tf.train.adam(0.05);
    for (let i = 0; i < 20; i++) optimizer.minimize(() => loss(true));
    expect(loss(false).dataSync()[0]!).toBeLessThan(first * 0.5);
    tf.dispose([x, y]);
    optimizer.dispose();
    disposeLayerWeights(layer);
  });

  it('validates options, naming the option and the allowed values', () => {
    expect(() => new Mlp({ key: 'x', units: [] })).toThrow(/mlp "x"\.units: \[\] must be a non-empty array of positive integers/);
    expect(() => new Mlp({ key: 'x', units: [0] })).toThrow(/mlp "x"\.units: \[0\] must be a non-empty array of positive integers/);
    expect(() => new Mlp({ key: 'x', units: [2], activation: 'tanh' as never })).toThrow(
      /mlp "x"\.activation: "tanh" is not allowed; use relu, linear, sigmoid/,
    );
    expect(() => new Mlp({ key: 'x', units: [2], dropout: 1 })).toThrow(/mlp "x"\.dropout: 1 must be in \[0, 1\)/);
    expect(() => new Mlp({ key: 'x', units: [2], normalization: 'group' as never })).toThrow(
      /mlp "x"\.normalization: "group" is not allowed; use none, batch or layer/,
    );
  });

  it('reads key and writes outputKey; config round trip and model save/load are identical', async () => {
    const layer = new Mlp({
      key: 'click',
      outputKey: 'click/deep',
      units: [4, 3],
      normalization: 'batch',
      dropout: 0.2,
      activation: 'elu',
      seed: 9,
    });
    expect(layer.inputKeys).toEqual(['click']);
    expect(layer.outputKeys).toEqual(['click/deep']);
    const copy = Mlp.fromConfig(Mlp, layer.getConfig()) as Mlp;
    expect(copy.getConfig()).toEqual(layer.getConfig());
    expect(copy.outputKeys).toEqual(['click/deep']);

    const input = tfl.input({ shape: [3] });
    const model = tfl.model({ inputs: input, outputs: layer.apply(input) as tfl.SymbolicTensor });
    const x = tf.tensor2d(X);
    // Move the batch-norm statistics away from their initial values first.
    tf.tidy(() => layer.apply(x, { training: true }) as tf.Tensor);
    const loaded = await reloadThroughMemory(model);
    const [a, b] = [model.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor];
    expect(b.arraySync()).toEqual(a.arraySync());
    tf.dispose([x, a, b]);
    model.dispose();
    loaded.dispose();
  });
});
