import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { initEngine } from '../init-engine.js';
import { patchedKernels, patchWasmKernels } from '../kernel-patches.js';
import { liveCounts, maxError, randomValues, runOn } from '../testing/parity-testing.js';
import { SMALL_ELEMENTWISE_MAX } from './small-elementwise.js';
import { SMALL_BINARY_FORMULAS } from './wasm-small-binary.js';
import { SMALL_UNARY_FORMULAS } from './wasm-small-unary.js';

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
  ['relu', (x) => tf.relu(x)],
  ['sigmoid', (x) => tf.sigmoid(x)],
];

const BINARY: [string, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor][] = [
  ['add', (a, b) => tf.add(a, b)],
  ['sub', (a, b) => tf.sub(a, b)],
  ['mul', (a, b) => tf.mul(a, b)],
  ['div', (a, b) => tf.div(a, b)],
];

describe('small element-wise kernels on wasm', () => {
  it('are installed for the unary and binary kernels they cover', () => {
    const names = [...Object.keys(SMALL_UNARY_FORMULAS), ...Object.keys(SMALL_BINARY_FORMULAS)];
    expect(names.sort()).toEqual(['Add', 'ClipByValue', 'Multiply', 'Neg', 'RealDiv', 'Relu', 'Sigmoid', 'Square', 'Step', 'Sub']);
    expect(patchedKernels('wasm')).toEqual(expect.arrayContaining(names));
  });

  for (const [name, op] of OPS) {
    it(`${name} equals the cpu backend exactly on small and large tensors, NaN and infinities included`, async () => {
      for (const size of [2048, SMALL_ELEMENTWISE_MAX + 5]) {
        const values = edgeValues(size, 7);
        const compute = (): tf.Tensor[] => [op(tf.tensor(values, [size / (size % 2 === 0 ? 2 : 1), size % 2 === 0 ? 2 : 1]))];
        const [expected] = await runOn('cpu', compute);
        const [actual] = await runOn('wasm', compute);
        // XNNPACK's sigmoid (large tensors) is a polynomial approximation: equal to float32 rounding, not bit for bit.
        // (Its NaN input, element 0, is the shipped kernel's business.)
        if (name === 'sigmoid' && size > SMALL_ELEMENTWISE_MAX)
          expect(maxError(actual!.subarray(1), expected!.subarray(1))).toBeLessThan(1e-6);
        else expect([...actual!]).toEqual([...expected!]);
      }
    });
  }

  for (const [name, op] of BINARY) {
    it(`${name} equals the cpu backend exactly: same shapes, a single value on either side, broadcasts left to the shipped kernel`, async () => {
      const x = edgeValues(2048, 11);
      const y = edgeValues(2048, 12).reverse();
      const large = edgeValues(SMALL_ELEMENTWISE_MAX + 16, 13);
      const compute = (): tf.Tensor[] => {
        const a = tf.tensor(x, [1024, 2]);
        const b = tf.tensor(y, [1024, 2]);
        return [
          op(a, b),
          op(a, tf.scalar(0.75)),
          op(tf.scalar(-2), b),
          op(a, tf.tensor([[3]])),
          op(a, tf.tensor1d([2, -0.5])),
          op(tf.tensor(large, [large.length / 16, 16]), tf.scalar(3)),
        ];
      };
      const expected = await runOn('cpu', compute);
      const actual = await runOn('wasm', compute);
      actual.forEach((values, i) => expect([...values], `output ${i}`).toEqual([...expected[i]!]));
    });
  }

  it('a single value of higher rank broadcasts to the right shape', () => {
    const out = tf.add(tf.tensor1d([1, 2]), tf.tensor([[[10]]]));
    expect(out.shape).toEqual([1, 1, 2]);
    expect([...out.dataSync()]).toEqual([11, 12]);
    out.dispose();
  });

  it('keeps int32 inputs on the shipped kernels, and leaks nothing', () => {
    const ints = tf.tensor1d([3, -2, 0], 'int32');
    expect([...tf.neg(ints).dataSync()]).toEqual([-3, 2, 0]);
    const x = tf.tensor1d(edgeValues(100, 3));
    const two = tf.scalar(2);
    const run = (): void =>
      tf.dispose([...OPS.map(([, op]) => op(x)), ...BINARY.map(([, op]) => op(x, x)), ...BINARY.map(([, op]) => op(x, two))]);
    run();
    const before = liveCounts();
    run();
    expect(liveCounts()).toEqual(before);
    tf.dispose([ints, x, two]);
  });
});
