import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { initEngine } from '../init-engine.js';
import { patchCpuKernels, patchWasmKernels, restoreKernels } from '../kernel-patches.js';
import { liveCounts, maxError, randomIds, randomValues, runOn } from '../testing/parity-testing.js';
import { segmentSumInto } from './segment-sum.js';

const D = 8;

/** Gradient of `sum(gather(table, ids) · weights)` with respect to the table: an UnsortedSegmentSum. */
function gatherGradient(vocabulary: number, ids: Int32Array, idsShape: number[], seed: number): () => tf.Tensor {
  const table = randomValues(vocabulary * D, seed);
  const weights = randomValues(ids.length * D, seed + 1);
  return () => {
    const t = tf.tensor2d(table, [vocabulary, D]);
    const i = tf.tensor(ids, idsShape, 'int32');
    const w = tf.tensor(weights, [...idsShape, D]);
    return tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.gather(x, i), w)))(t);
  };
}

/** Plain-JS reference: row i of x added into row ids[i]. */
function referenceSegmentSum(x: Float32Array, ids: Int32Array, rowSize: number, numSegments: number): Float32Array {
  const out = new Float32Array(numSegments * rowSize);
  ids.forEach((s, i) => {
    if (s < 0 || s >= numSegments) return;
    for (let j = 0; j < rowSize; j++) out[s * rowSize + j] += x[i * rowSize + j];
  });
  return out;
}

// The wasm backend with its patches, whatever EKTM_BACKEND made the engine pick; back to the engine after.
beforeAll(async () => {
  await tf.setBackend('wasm');
  patchWasmKernels();
});

afterAll(async () => {
  restoreKernels('cpu');
  await initEngine();
});

describe('UnsortedSegmentSum on wasm (the gradient of gather)', () => {
  it('matches the shipped cpu kernel for an embedding [1000, 8] and 256 ids with repeats', async () => {
    const ids = randomIds(256, 50, 11); // 50 distinct rows at most: many repeats
    expect(new Set(ids).size).toBeLessThan(ids.length);
    const compute = gatherGradient(1000, ids, [256], 1);
    restoreKernels('cpu');
    const [expected] = await runOn('cpu', compute);
    const [actual] = await runOn('wasm', compute);
    expect(actual.length).toBe(1000 * D);
    expect(maxError(actual, expected)).toBeLessThan(1e-5);
    // Rows no id points at get exactly zero.
    const unused = [...Array(1000).keys()].find((r) => !ids.includes(r))!;
    expect(Array.from(actual.subarray(unused * D, unused * D + D))).toEqual(new Array(D).fill(0));
  });

  it('matches the cpu reference for [10000, 8] and ids of shape [64, 20] (one id per field)', async () => {
    const ids = randomIds(64 * 20, 10_000, 12);
    const compute = gatherGradient(10_000, ids, [64, 20], 2);
    patchCpuKernels(); // the shipped cpu kernel needs 10k masked passes here
    const [expected] = await runOn('cpu', compute);
    const [actual] = await runOn('wasm', compute);
    expect(maxError(actual, expected)).toBeLessThan(1e-5);
    const weights = randomValues(ids.length * D, 3);
    expect(maxError(actual, referenceSegmentSum(weights, ids, D, 10_000))).toBeLessThan(1e-5);
  });

  it('drops ids outside [0, numSegments) and keeps the input dtype', async () => {
    const x = randomValues(6 * 3, 4);
    const ids = Int32Array.from([0, 2, -1, 2, 5, 1]);
    const [floats] = await runOn('wasm', () => tf.unsortedSegmentSum(tf.tensor2d(x, [6, 3]), tf.tensor1d(ids, 'int32'), 4));
    expect(maxError(floats, referenceSegmentSum(x, ids, 3, 4))).toBeLessThan(1e-6);
    const ints = tf.unsortedSegmentSum(tf.tensor1d([1, 2, 3, 4], 'int32'), tf.tensor1d([1, 1, 0, 7], 'int32'), 3);
    expect(ints.dtype).toBe('int32');
    expect(Array.from(ints.dataSync())).toEqual([3, 3, 0]);
    ints.dispose();
  });

  it('leaks no tensors and no wasm buffers, forward or through the gradient', () => {
    const ids = tf.tensor1d(randomIds(128, 300, 5), 'int32');
    const table = tf.variable(tf.tensor2d(randomValues(300 * D, 6), [300, D]));
    const grad = (): void => {
      const g = tf.grad((x: tf.Tensor) => tf.sum(tf.gather(x, ids)))(table);
      g.dispose();
    };
    grad(); // first call may create lasting state
    const before = liveCounts();
    grad();
    tf.tidy(() => {
      tf.unsortedSegmentSum(table, tf.tensor1d(randomIds(300, 40, 7), 'int32'), 40);
    });
    expect(liveCounts()).toEqual(before);
    ids.dispose();
    table.dispose();
  });
});

describe('UnsortedSegmentSum on cpu (linear replacement)', () => {
  it('matches the shipped cpu kernel', async () => {
    const ids = randomIds(300, 500, 21);
    const compute = gatherGradient(500, ids, [300], 8);
    restoreKernels('cpu');
    const [shipped] = await runOn('cpu', compute);
    expect(patchCpuKernels()).toEqual(['UnsortedSegmentSum']);
    expect(patchCpuKernels()).toEqual([]); // idempotent
    const [patched] = await runOn('cpu', compute);
    expect(maxError(patched, shipped)).toBeLessThan(1e-5);
  });

  it('takes one pass: a [10000, 8] table and 2048 ids in well under a second', async () => {
    patchCpuKernels();
    const compute = gatherGradient(10_000, randomIds(2048, 10_000, 22), [2048], 9);
    const start = performance.now();
    await runOn('cpu', compute);
    const ms = performance.now() - start;
    console.log(`cpu gather gradient [10000, 8], 2048 ids, linear kernel: ${ms.toFixed(0)} ms`);
    expect(ms).toBeLessThan(5000);
  });

  it('leaks no tensors', async () => {
    patchCpuKernels();
    await tf.setBackend('cpu');
    try {
      const before = liveCounts();
      tf.tidy(() => {
        tf.unsortedSegmentSum(tf.ones([10, 2]), tf.tensor1d([0, 1, 1, 2, 2, 2, 3, 3, 3, 3], 'int32'), 4);
      });
      expect(liveCounts()).toEqual(before);
    } finally {
      await tf.setBackend('wasm');
    }
  });
});

describe('segmentSumInto', () => {
  it('adds rows into their segments', () => {
    const out = new Float32Array(4);
    segmentSumInto(out, Float32Array.from([1, 2, 3, 4, 5, 6]), Int32Array.from([1, 0, 1]), 2, 2);
    expect(Array.from(out)).toEqual([3, 4, 6, 8]);
  });
});
