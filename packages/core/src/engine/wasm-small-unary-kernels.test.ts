import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { initEngine } from './init-engine.js';
import { patchedKernels, patchWasmKernels } from './kernel-patches.js';
import { liveCounts, randomValues, runOn } from './parity-testing.js';
import { SMALL_ELEMENTWISE_MAX, SMALL_UNARY_FORMULAS } from './wasm-small-unary-kernels.js';

beforeAll(async () => {
  await tf.setBackend('wasm');
  patchWasmKernels();
});

afterAll(async () => {
  await initEngine();
});

/** Values with the edge cases: NaN, ±Infinity, ±0, the clip bounds themselves. */
function edgeValues(n: number, seed: number): Float32Array {
  const values = randomValues(n, seed, 3);
  values.set([NaN, Infinity, -Infinity, 0, -0, -1, 1, 0.5, -0.5]);
  return values;
}

const OPS: [string, (x: tf.Tensor) => tf.Tensor][] = [
  ['neg', (x) => tf.neg(x)],
  ['square', (x) => tf.square(x)],
  ['step', (x) => tf.step(x, 0.3)],
  ['clipByValue', (x) => tf.clipByValue(x, -1, 0.5)],
];

describe('small element-wise kernels on wasm', () => {
  it('are installed for Neg, Square, Step and ClipByValue', () => {
    expect(patchedKernels('wasm')).toEqual(expect.arrayContaining(['Neg', 'Square', 'Step', 'ClipByValue']));
    expect(Object.keys(SMALL_UNARY_FORMULAS).sort()).toEqual(['ClipByValue', 'Neg', 'Square', 'Step']);
  });

  for (const [name, op] of OPS) {
    it(`${name} equals the cpu backend exactly on small and large tensors, NaN and infinities included`, async () => {
      for (const size of [2048, SMALL_ELEMENTWISE_MAX + 5]) {
        const values = edgeValues(size, 7);
        const compute = (): tf.Tensor[] => [op(tf.tensor(values, [size / (size % 2 === 0 ? 2 : 1), size % 2 === 0 ? 2 : 1]))];
        const [expected] = await runOn('cpu', compute);
        const [actual] = await runOn('wasm', compute);
        expect([...actual!]).toEqual([...expected!]);
      }
    });
  }

  it('keeps int32 inputs on the shipped kernels, and leaks nothing', () => {
    const ints = tf.tensor1d([3, -2, 0], 'int32');
    expect([...tf.neg(ints).dataSync()]).toEqual([-3, 2, 0]);
    const x = tf.tensor1d(edgeValues(100, 3));
    const run = (): void => tf.dispose(OPS.map(([, op]) => op(x)));
    run();
    const before = liveCounts();
    run();
    expect(liveCounts()).toEqual(before);
    tf.dispose([ints, x]);
  });
});
