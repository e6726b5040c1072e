import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { initEngine } from './init-engine.js';
import { patchWasmKernels, restoreKernels } from './kernel-patches.js';
import { liveCounts, maxError, randomIds, randomValues, runOn } from './testing/parity-testing.js';

const VOCABULARY = 1000;
const DIM = 8;
const FIELDS = 4;
const HIDDEN = 16;
const BATCH = 64;
const STEPS = 6;

const ids = randomIds(BATCH * FIELDS, VOCABULARY, 101);
// A learnable label: whether the first field's id is in the lower half of the vocabulary.
const labels = Float32Array.from({ length: BATCH }, (_, i) => (ids[i * FIELDS] < VOCABULARY / 2 ? 1 : 0));
const init = {
  table: randomValues(VOCABULARY * DIM, 102, 0.05),
  w1: randomValues(FIELDS * DIM * HIDDEN, 103, 0.3),
  b1: randomValues(HIDDEN, 104, 0.1),
  w2: randomValues(HIDDEN, 105, 0.3),
};

/**
 * Embedding → flatten → dense relu (fused) → dense → sigmoid cross-entropy, trained with Adam by
 * `optimizer.minimize`. Returns the loss at every step followed by the trained weights.
 */
function trainRawModel(): tf.Tensor[] {
  const table = tf.variable(tf.tensor2d(init.table, [VOCABULARY, DIM]));
  const w1 = tf.variable(tf.tensor2d(init.w1, [FIELDS * DIM, HIDDEN]));
  const b1 = tf.variable(tf.tensor1d(init.b1));
  const w2 = tf.variable(tf.tensor2d(init.w2, [HIDDEN, 1]));
  const x = tf.tensor2d(ids, [BATCH, FIELDS], 'int32');
  const y = tf.tensor2d(labels, [BATCH, 1]);
  const optimizer = tf.train.adam(0.02);
  const losses: tf.Scalar[] = [];
  for (let step = 0; step < STEPS; step++) {
    const loss = optimizer.minimize(() => {
      const embedded = tf.reshape(tf.gather(table, x), [BATCH, FIELDS * DIM]);
      const hidden = tf.fused.matMul({ a: embedded, b: w1, bias: b1, activation: 'relu' });
      return tf.losses.sigmoidCrossEntropy(y, tf.matMul(hidden, w2));
    }, true)!;
    losses.push(loss);
  }
  optimizer.dispose();
  const out = [tf.stack(losses), table.clone(), w1.clone(), b1.clone(), w2.clone()];
  tf.dispose([table, w1, b1, w2]);
  return out;
}

/** The same kind of model in tfjs-layers, trained with `model.fit`; returns the loss of every epoch. */
async function fitLayersModel(backend: 'cpu' | 'wasm'): Promise<number[]> {
  const previous = tf.getBackend();
  await tf.setBackend(backend);
  try {
    const model = tfl.sequential({
      layers: [
        tfl.layers.embedding({
          inputDim: VOCABULARY,
          outputDim: DIM,
          inputLength: FIELDS,
          embeddingsInitializer: tfl.initializers.randomUniform({ seed: 1 }),
        }),
        tfl.layers.flatten(),
        tfl.layers.dense({ units: HIDDEN, activation: 'relu', kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }) }),
        tfl.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: tfl.initializers.glorotUniform({ seed: 3 }) }),
      ],
    });
    model.compile({ optimizer: tf.train.adam(0.02), loss: 'binaryCrossentropy' });
    const x = tf.tensor2d(ids, [BATCH, FIELDS], 'float32');
    const y = tf.tensor2d(labels, [BATCH, 1]);
    const history = await model.fit(x, y, { epochs: STEPS, batchSize: 32, shuffle: false, verbose: 0 });
    tf.dispose([x, y]);
    model.dispose();
    return history.history['loss'] as number[];
  } finally {
    await tf.setBackend(previous);
  }
}

// The wasm backend with its patches, whatever EKTM_BACKEND made the engine pick; back to the engine after.
beforeAll(async () => {
  await tf.setBackend('wasm');
  patchWasmKernels();
});

afterAll(async () => {
  await initEngine();
});

describe('a tiny embedding + dense model trains on wasm like on cpu', () => {
  it('optimizer.minimize: losses go down and match cpu, and so do the trained weights', async () => {
    restoreKernels('cpu'); // the reference is the cpu backend as shipped
    const expected = await runOn('cpu', trainRawModel);
    const actual = await runOn('wasm', trainRawModel);
    const [losses] = actual;
    console.log(`losses on wasm: ${Array.from(losses, (l) => l.toFixed(5)).join(' ')}`);
    expect(losses[STEPS - 1]).toBeLessThan(losses[0] * 0.9);
    expect(maxError(losses, expected[0])).toBeLessThan(1e-5);
    actual.slice(1).forEach((weights, i) => expect(maxError(weights, expected[i + 1]), `weights ${i}`).toBeLessThan(1e-4));
  });

  it('model.fit (tfjs-layers): losses go down and match cpu', async () => {
    restoreKernels('cpu');
    const expected = await fitLayersModel('cpu');
    const actual = await fitLayersModel('wasm');
    expect(actual[STEPS - 1]).toBeLessThan(actual[0]);
    expect(maxError(actual, expected)).toBeLessThan(1e-4);
  });

  it('a training step on wasm leaks no tensors and no wasm buffers', () => {
    expect(tf.getBackend()).toBe('wasm');
    const table = tf.variable(tf.tensor2d(init.table, [VOCABULARY, DIM]));
    const w1 = tf.variable(tf.tensor2d(init.w1, [FIELDS * DIM, HIDDEN]));
    const x = tf.tensor2d(ids, [BATCH, FIELDS], 'int32');
    const optimizer = tf.train.sgd(0.1);
    const step = (): void => {
      optimizer.minimize(() => tf.sum(tf.relu(tf.matMul(tf.reshape(tf.gather(table, x), [BATCH, FIELDS * DIM]), w1))));
    };
    step();
    const before = liveCounts();
    step();
    step();
    expect(liveCounts()).toEqual(before);
    optimizer.dispose();
    tf.dispose([table, w1, x]);
  });
});
