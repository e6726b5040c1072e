import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { initEngine } from '../init-engine.js';
import { patchedKernels, patchWasmKernels } from '../kernel-patches.js';
import { liveCounts, maxError, randomIds, randomValues, runOn } from '../testing/parity-testing.js';
import { gatherRowsInto } from './wasm-gather-v2.js';
import { copyAxisRangeInto } from './wasm-split-v.js';
import { sumMiddleInto } from './wasm-sum.js';
import { unstackInto } from './wasm-unpack.js';

async function expectParity(compute: () => tf.Tensor[], tolerance = 1e-6): Promise<void> {
  const expected = await runOn('cpu', compute);
  const actual = await runOn('wasm', compute);
  expect(actual.length).toBe(expected.length);
  actual.forEach((values, i) => expect(maxError(values, expected[i]!), `output ${i}`).toBeLessThan(tolerance));
}

beforeAll(async () => {
  await tf.setBackend('wasm');
  patchWasmKernels();
});

afterAll(async () => {
  await initEngine();
});

describe('memory-bound wasm kernels', () => {
  it('are installed by patchWasmKernels', () => {
    expect(patchedKernels('wasm')).toEqual(expect.arrayContaining(['Identity', 'Cast', 'Unpack', 'Sum', 'GatherV2', 'SplitV']));
  });

  it('unstackInto, sumMiddleInto and gatherRowsInto compute the exact values', () => {
    const x = Float32Array.from({ length: 2 * 3 * 2 }, (_, i) => i); // [2, 3, 2]
    const slice = new Float32Array(4);
    unstackInto(slice, x, 2, 3, 2, 1);
    expect([...slice]).toEqual([2, 3, 8, 9]);
    const sums = new Float32Array(4);
    sumMiddleInto(sums, x, 2, 3, 2);
    expect([...sums]).toEqual([0 + 2 + 4, 1 + 3 + 5, 6 + 8 + 10, 7 + 9 + 11]);
    const rows = new Float32Array(6);
    gatherRowsInto(rows, x, Int32Array.from([5, 0, 5]), 2, 6);
    expect([...rows]).toEqual([10, 11, 0, 1, 10, 11]);
    expect(() => gatherRowsInto(rows, x, Int32Array.from([6]), 2, 6)).toThrow(/index value 6 is not in \[0, 5\]/);
    const range = new Float32Array(8);
    copyAxisRangeInto(range, x, 2, 3, 2, 1, 2);
    expect([...range]).toEqual([2, 3, 4, 5, 8, 9, 10, 11]);
  });

  it('split and concat along every axis, with equal and uneven sizes, and the gradient of concat (SplitV), match cpu', async () => {
    const values = randomValues(4 * 6 * 5, 11);
    await expectParity(() => {
      const x = tf.tensor(values, [4, 6, 5]);
      const out: tf.Tensor[] = [...tf.split(x, 2, 0), ...tf.split(x, [1, 3, 2], 1), ...tf.split(x, [2, -1], 2), ...tf.split(x, 3, -2)];
      const parts = [tf.tensor(randomValues(4 * 2, 12), [4, 2]), tf.tensor(randomValues(4 * 3, 13), [4, 3])];
      const w = tf.tensor(randomValues(4 * 5, 14), [4, 5]);
      out.push(...tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.concat([a, b], 1), w)))(parts as [tf.Tensor, tf.Tensor]));
      out.push(
        ...tf
          .split(
            tf.tensor(
              Int32Array.from({ length: 6 }, (_, i) => i),
              [2, 3],
              'int32',
            ),
            [1, 2],
            1,
          )
          .map((t) => tf.cast(t, 'float32')),
      );
      return out;
    });
  });

  it('stack/unstack along every axis, and its gradient (Unpack), match cpu', async () => {
    const values = randomValues(4 * 3 * 5, 1);
    await expectParity(() => {
      const x = tf.tensor(values, [4, 3, 5]);
      const out: tf.Tensor[] = [];
      for (const axis of [0, 1, 2, -1]) out.push(...tf.unstack(x, axis));
      const parts = [0, 1, 2].map((i) => tf.tensor(randomValues(20, 10 + i), [4, 5]));
      const w = tf.tensor(randomValues(4 * 3 * 5, 20), [4, 3, 5]);
      out.push(
        ...tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => tf.sum(tf.mul(tf.stack([a, b, c], 1), w)))(
          parts as [tf.Tensor, tf.Tensor, tf.Tensor],
        ),
      );
      out.push(
        tf.cast(
          tf.stack(
            tf.unstack(
              tf.tensor(
                Int32Array.from({ length: 6 }, (_, i) => i),
                [2, 3],
                'int32',
              ),
              1,
            ),
          ),
          'float32',
        ),
      );
      return out;
    });
  });

  it('sum over leading, middle, trailing and several axes, with and without keepDims, matches cpu', async () => {
    const values = randomValues(6 * 7 * 8, 2);
    await expectParity(() => {
      const x = tf.tensor(values, [6, 7, 8]);
      const out: tf.Tensor[] = [];
      for (const axis of [0, 1, 2, -1, [0, 1], [1, 2], [0, 2], [0, 1, 2]] as (number | number[])[]) {
        out.push(tf.sum(x, axis), tf.sum(x, axis, true));
      }
      out.push(
        tf.cast(
          tf.sum(
            tf.tensor(
              Int32Array.from({ length: 12 }, (_, i) => i - 6),
              [3, 4],
              'int32',
            ),
            0,
          ),
          'float32',
        ),
      );
      // The bias gradient of a dense layer sums over the batch axis.
      out.push(
        ...tf.grads((b: tf.Tensor) => tf.sum(tf.mul(tf.relu(tf.add(tf.reshape(x, [42, 8]), b)), tf.reshape(x, [42, 8]))))([
          tf.tensor1d(randomValues(8, 3)),
        ]),
      );
      return out;
    });
  });

  it('gather along axis 0 (the embedding lookup) and its gradient match cpu; other axes still work', async () => {
    const table = randomValues(50 * 4, 4);
    const ids = randomIds(3 * 7, 50, 5);
    await expectParity(() => {
      const t = tf.tensor(table, [50, 4]);
      const i = tf.tensor(ids, [3, 7], 'int32');
      const w = tf.tensor(randomValues(3 * 7 * 4, 6), [3, 7, 4]);
      return [
        tf.gather(t, i),
        tf.gather(t, tf.tensor1d([3, 1, 3], 'int32'), 1 - 1),
        tf.gather(t, tf.tensor1d([3, 0], 'int32'), 1),
        tf.gather(tf.tensor1d(randomValues(9, 7)), tf.tensor1d([8, 0, 4], 'int32')),
        ...tf.grads((x: tf.Tensor) => tf.sum(tf.mul(tf.gather(x, i), w)))([t]),
      ];
    });
  });

  it('gather rejects an out-of-range id and leaks nothing', () => {
    const t = tf.tensor2d(randomValues(10 * 2, 8), [10, 2]);
    const before = liveCounts();
    expect(() => tf.tidy(() => tf.gather(t, tf.tensor1d([10], 'int32')))).toThrow(/index value 10/);
    expect(liveCounts()).toEqual(before);
    t.dispose();
  });

  it('identity shares data: a clone survives its source and a kept saved input stays intact', () => {
    const x = tf.tensor1d([1, 2, 3]);
    const y = tf.clone(x);
    x.dispose();
    expect([...y.dataSync()]).toEqual([1, 2, 3]);
    y.dispose();
  });

  it('a cast to the same dtype shares data and survives its source; to bool it is x ≠ 0; other casts still convert', () => {
    const x = tf.tensor1d([1.5, -2, 0]);
    expect([...tf.cast(tf.tensor1d([256, -1, 0, 3], 'int32'), 'bool').dataSync()]).toEqual([1, 1, 0, 1]);
    const same = tf.cast(x, 'float32');
    const ints = tf.cast(x, 'int32');
    const bools = tf.cast(x, 'bool');
    x.dispose();
    expect([...same.dataSync()]).toEqual([1.5, -2, 0]);
    expect([...ints.dataSync()]).toEqual([1, -2, 0]);
    expect([...bools.dataSync()]).toEqual([1, 1, 0]);
    expect([...tf.cast(ints, 'int32').dataSync()]).toEqual([1, -2, 0]);
    tf.dispose([same, ints, bools]);
  });

  it('stack, sum, gather and clone leak no tensors and no wasm buffers', () => {
    const x = tf.tensor(randomValues(4 * 3 * 5, 9), [4, 3, 5]);
    const t = tf.tensor(randomValues(20 * 3, 10), [20, 3]);
    const i = tf.tensor1d([1, 19, 4], 'int32');
    const run = (): void => {
      tf.tidy(() => {
        tf.unstack(x, 1);
        tf.split(x, [1, 2], 1);
        tf.sum(x, 0);
        tf.sum(x, [0, 1], true);
        tf.gather(t, i);
        tf.clone(x);
        tf.cast(x, 'float32');
        tf.grads((a: tf.Tensor) => tf.sum(tf.stack(tf.unstack(a, 1), 1)))([x]);
      });
    };
    run();
    const before = liveCounts();
    run();
    expect(liveCounts()).toEqual(before);
    tf.dispose([x, t, i]);
  });
});
