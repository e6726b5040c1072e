import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { initEngine } from '../init-engine.js';
import { patchedKernels, patchWasmKernels } from '../kernel-patches.js';
import { liveCounts, randomValues, runOn } from '../testing/parity-testing.js';
import { transposeMatricesInto } from './wasm-transpose.js';

beforeAll(async () => {
  await tf.setBackend('wasm');
  patchWasmKernels();
});

afterAll(async () => {
  await initEngine();
});

/** Cases: [shape, perm]; the first ones take the tiled loop (ragged tiles included), the last ones the shipped kernel. */
const CASES: [number[], number[]][] = [
  [
    [130, 67],
    [1, 0],
  ],
  [
    [3, 70, 129],
    [0, 2, 1],
  ],
  [
    [2, 2, 65, 66],
    [0, 1, 3, 2],
  ],
  [
    [5, 7],
    [1, 0],
  ],
  [
    [4, 70, 129],
    [1, 0, 2],
  ],
  [
    [4, 70, 129],
    [2, 1, 0],
  ],
];

describe('Transpose on wasm', () => {
  it('is installed by patchWasmKernels', () => {
    expect(patchedKernels('wasm')).toContain('Transpose');
  });

  it('transposeMatricesInto computes the exact values, each matrix of a batch on its own', () => {
    const x = Float32Array.from({ length: 2 * 2 * 3 }, (_, i) => i); // [2, 2, 3]
    const out = new Float32Array(12);
    transposeMatricesInto(out, x, 2, 2, 3);
    expect([...out]).toEqual([0, 3, 1, 4, 2, 5, 6, 9, 7, 10, 8, 11]);
  });

  for (const [shape, perm] of CASES) {
    it(`[${shape}] by perm [${perm}] equals cpu exactly, float32 and int32, with its gradient`, async () => {
      const values = randomValues(tf.util.sizeFromShape(shape), 3);
      const compute = (): tf.Tensor[] => {
        const x = tf.tensor(values, shape);
        const w = tf.tensor(randomValues(x.size, 4), tf.transpose(x, perm).shape);
        const ints = tf.tensor(
          Int32Array.from(values, (v) => Math.round(v * 1000)),
          shape,
          'int32',
        );
        const [dx] = tf.grads((a: tf.Tensor) => tf.sum(tf.mul(tf.transpose(a, perm), w)))([x]);
        return [tf.transpose(x, perm), tf.cast(tf.transpose(ints, perm), 'float32'), dx!];
      };
      const expected = await runOn('cpu', compute);
      const actual = await runOn('wasm', compute);
      actual.forEach((v, i) => expect([...v], `output ${i}`).toEqual([...expected[i]!]));
    });
  }

  it('leaks no tensors and no wasm buffers', () => {
    const x = tf.tensor(randomValues(3 * 70 * 129, 5), [3, 70, 129]);
    const run = (): void => tf.dispose([tf.transpose(x, [0, 2, 1]), tf.transpose(x, [1, 0, 2])]);
    run();
    const before = liveCounts();
    run();
    expect(liveCounts()).toEqual(before);
    x.dispose();
  });
});
