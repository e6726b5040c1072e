import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { layersExecutorPatched, patchLayersExecutor } from './layers-executor-patch.js';

/** A layer with three outputs (`2x`, `x + 1`, `x²`) that counts how often its `call` runs. */
class ThreeOutputs extends tfl.layers.Layer {
  static readonly className = 'TestThreeOutputs';
  calls = 0;
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor[] {
    this.calls++;
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    return [tf.mul(x, 2), tf.add(x, 1), tf.square(x)];
  }
  override computeOutputShape(shape: tfl.Shape | tfl.Shape[]): tfl.Shape[] {
    return [shape as tfl.Shape, shape as tfl.Shape, shape as tfl.Shape];
  }
}

/** input → ThreeOutputs → (a dense layer on each of the first two outputs, the third as is). */
function buildModel(): { model: tfl.LayersModel; layer: ThreeOutputs } {
  const input = tfl.input({ shape: [3] });
  const layer = new ThreeOutputs({});
  const [a, b, c] = layer.apply(input) as tfl.SymbolicTensor[];
  const dense = (x: tfl.SymbolicTensor, seed: number) =>
    tfl.layers.dense({ units: 2, kernelInitializer: tfl.initializers.randomNormal({ seed }) }).apply(x) as tfl.SymbolicTensor;
  return { model: tfl.model({ inputs: input, outputs: [dense(a!, 1), dense(b!, 2), c!] }), layer };
}

describe('patchLayersExecutor', () => {
  it('is installed by the engine (setup ran initEngine) and idempotent', () => {
    expect(layersExecutorPatched()).toBe(true);
    expect(patchLayersExecutor()).toBe(false);
  });

  it('runs a three-output layer once per model call, in inference, training and predict', () => {
    const { model, layer } = buildModel();
    const x = tf.tensor2d([
      [1, 2, 3],
      [-1, 0, 0.5],
    ]);
    for (const training of [false, true]) {
      layer.calls = 0;
      tf.dispose(model.apply(x, { training }) as tf.Tensor[]);
      expect(layer.calls, `training=${training}`).toBe(1);
    }
    layer.calls = 0;
    tf.dispose(model.predict(x) as tf.Tensor[]);
    expect(layer.calls).toBe(1);
    tf.dispose(x);
    model.dispose();
  });

  it('runs it once per batch in fit and evaluate too', async () => {
    const { model, layer } = buildModel();
    model.compile({ optimizer: tf.train.sgd(0.01), loss: 'meanSquaredError' });
    const x = tf.tensor2d([
      [1, 2, 3],
      [-1, 0, 0.5],
    ]);
    const ys = [tf.zeros([2, 2]), tf.zeros([2, 2]), tf.zeros([2, 3])];
    layer.calls = 0;
    await model.fit(x, ys, { epochs: 1, batchSize: 2, verbose: 0 });
    expect(layer.calls).toBe(1);
    layer.calls = 0;
    tf.dispose(model.evaluate(x, ys, { batchSize: 2 }) as tf.Scalar[]);
    expect(layer.calls).toBe(1);
    tf.dispose([x, ...ys]);
    model.dispose();
  });

  it('gives the same outputs and gradients as computing each branch directly', () => {
    const { model } = buildModel();
    const xValues = [
      [1, 2, 3],
      [-1, 0, 0.5],
    ];
    const x = tf.tensor2d(xValues);
    const [outA, outB, outC] = model.apply(x, { training: false }) as tf.Tensor[];
    const [k1, b1, k2, b2] = model.getWeights();
    const expectedA = tf.add(tf.matMul(tf.mul(x, 2), k1!), b1!);
    const expectedB = tf.add(tf.matMul(tf.add(x, 1), k2!), b2!);
    expect(Array.from(outA!.dataSync())).toEqual(Array.from(expectedA.dataSync()));
    expect(Array.from(outB!.dataSync())).toEqual(Array.from(expectedB.dataSync()));
    expect(Array.from(outC!.dataSync())).toEqual([1, 4, 9, 1, 0, 0.25]);

    const weights = model.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);
    const { grads } = tf.variableGrads(() => {
      const [a, b, c] = model.apply(x, { training: true }) as tf.Tensor[];
      return tf.add(tf.add(tf.sum(a!), tf.sum(tf.square(b!))), tf.sum(c!)) as tf.Scalar;
    }, weights);
    // d/dk1 sum(2x·k1 + b1) = column sums of 2x; d/db1 = batch size.
    expect(Array.from(grads[weights[0]!.name]!.dataSync())).toEqual([0, 0, 4, 4, 7, 7]);
    expect(Array.from(grads[weights[1]!.name]!.dataSync())).toEqual([2, 2]);
    tf.dispose([x, outA!, outB!, outC!, expectedA, expectedB, ...Object.values(grads)]);
    model.dispose();
  });

  it('leaks no tensors', () => {
    const { model } = buildModel();
    const x = tf.tensor2d([[1, 2, 3]]);
    tf.dispose(model.apply(x, { training: false }) as tf.Tensor[]);
    const before = tf.memory().numTensors;
    tf.dispose(model.apply(x, { training: false }) as tf.Tensor[]);
    tf.dispose(model.apply(x, { training: true }) as tf.Tensor[]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(x);
    model.dispose();
  });
});
