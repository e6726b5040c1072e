import { afterAll, describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { initEngine } from './init-engine.js';
import { maxError, randomValues } from './testing/parity-testing.js';
import { adamUpdateInto } from './kernels/adam-update.js';
import { createFusedAdam, FusedAdamOptimizer } from './fused-adam.js';

/** Trains w (and b) on a fixed least-squares problem for a few steps; returns the final weights and moments. */
function train(optimizer: tf.AdamOptimizer): Float32Array[] {
  const w = tf.variable(tf.tensor2d(randomValues(6 * 3, 1), [6, 3]));
  const b = tf.variable(tf.tensor1d(randomValues(3, 2)));
  const x = tf.tensor2d(randomValues(8 * 6, 3), [8, 6]);
  const y = tf.tensor2d(randomValues(8 * 3, 4), [8, 3]);
  for (let step = 0; step < 5; step++) {
    tf.dispose(optimizer.minimize(() => tf.mean(tf.square(tf.sub(tf.add(tf.matMul(x, w), b), y))) as tf.Scalar, true)!);
  }
  const state = optimizer as unknown as {
    accumulatedFirstMoment: { variable: tf.Variable }[];
    accumulatedSecondMoment: { variable: tf.Variable }[];
  };
  const out = [w, b, ...state.accumulatedFirstMoment.map((e) => e.variable), ...state.accumulatedSecondMoment.map((e) => e.variable)].map(
    (t) => Float32Array.from(t.dataSync()),
  );
  tf.dispose([w, b, x, y]);
  optimizer.dispose();
  return out;
}

afterAll(async () => {
  await initEngine();
});

describe('FusedAdamOptimizer', () => {
  it('adamUpdateInto computes one Adam step exactly', () => {
    const out = [new Float32Array(1), new Float32Array(1), new Float32Array(1)];
    adamUpdateInto(out[0]!, out[1]!, out[2]!, Float32Array.of(1), Float32Array.of(0), Float32Array.of(0), Float32Array.of(2), {
      learningRate: 0.1,
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 0,
      oneMinusAccBeta1: Math.fround(0.1),
      oneMinusAccBeta2: Math.fround(0.001),
    });
    // First step: m = 0.2, v = 0.004, m̂ = 2, v̂ = 4, x = 1 − 0.1 · 2 / 2.
    expect(out[1]![0]).toBeCloseTo(0.2, 6);
    expect(out[2]![0]).toBeCloseTo(0.004, 6);
    expect(out[0]![0]).toBeCloseTo(0.9, 6);
  });

  for (const backend of ['wasm', 'cpu'] as const) {
    it(`matches tf.train.adam on ${backend}: weights and both moments after 5 steps`, async () => {
      await tf.setBackend(backend);
      const expected = train(tf.train.adam(0.05));
      const actual = train(createFusedAdam(0.05));
      expect(actual.length).toBe(expected.length);
      actual.forEach((values, i) => expect(maxError(values, expected[i]!), `tensor ${i}`).toBeLessThan(1e-6));
      await initEngine();
    });
  }

  it('is a tf.AdamOptimizer with the same class name and weights, and leaks nothing', async () => {
    const optimizer = createFusedAdam(0.01);
    expect(optimizer).toBeInstanceOf(tf.AdamOptimizer);
    expect(optimizer).toBeInstanceOf(FusedAdamOptimizer);
    expect(optimizer.getClassName()).toBe('Adam');
    const w = tf.variable(tf.ones([4]), true, 'fused_adam_w');
    const loss = () => tf.sum(tf.square(w)) as tf.Scalar;
    tf.dispose(optimizer.minimize(loss, true)!);
    const before = tf.memory().numTensors;
    tf.dispose(optimizer.minimize(loss, true)!);
    expect(tf.memory().numTensors).toBe(before);
    const weights = await optimizer.getWeights();
    expect(weights.map((x) => x.name)).toEqual(['iter', 'fused_adam_w/m', 'fused_adam_w/v']);
    w.dispose();
    optimizer.dispose();
  });
});
