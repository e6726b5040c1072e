import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { getLossKind } from '@ektm/core';
import { ENHANCEMENT_HINGE_KIND, HARD_EXAMPLE_KIND, enhancementHinge, hardExampleLoss } from './index.js';

const bce = (p: number, y: number) => -(y * Math.log(p) + (1 - y) * Math.log(1 - p));

describe('enhancement losses: exact values', () => {
  it('hinge: mean over the mask of max(0, BCE(p) − BCE(p⁰))', () => {
    // Row 0: enhanced better (0 excess); row 1: worse by ln(0.5/0.2); row 2: worse, but out of the sample space.
    const p = tf.tensor1d([0.9, 0.2, 0.1]);
    const p0 = tf.tensor1d([0.6, 0.5, 0.9]);
    const y = tf.tensor1d([1, 1, 1]);
    const mask = tf.tensor1d([1, 1, 0]);
    const loss = enhancementHinge(p, p0, y, mask);
    expect(loss.dataSync()[0]!).toBeCloseTo((0 + (bce(0.2, 1) - bce(0.5, 1))) / 2, 6);
    expect(loss.dataSync()[0]!).toBeCloseTo(Math.log(2.5) / 2, 6);
    tf.dispose([p, p0, y, mask, loss]);
  });

  it('hard-example: mean over the mask of (1 − p⁰_true)^γ · BCE(p)', () => {
    const p = tf.tensor1d([0.9, 0.3]);
    const p0 = tf.tensor1d([0.6, 0.2]);
    const y = tf.tensor1d([1, 0]);
    const mask = tf.tensor1d([1, 1]);
    const loss = hardExampleLoss(p, p0, y, mask, 2);
    // p⁰_true = [0.6, 0.8] → weights [0.16, 0.04].
    expect(loss.dataSync()[0]!).toBeCloseTo((0.16 * bce(0.9, 1) + 0.04 * bce(0.3, 0)) / 2, 6);
    const plain = hardExampleLoss(p, p0, y, mask, 0);
    expect(plain.dataSync()[0]!).toBeCloseTo((bce(0.9, 1) + bce(0.3, 0)) / 2, 6);
    tf.dispose([p, p0, y, mask, loss, plain]);
  });

  it('are registered as loss kinds that read [enhanced, original] and the gamma option', () => {
    const outputs = [tf.tensor2d([[0.9], [0.3]]), tf.tensor2d([[0.6], [0.2]])];
    const label = tf.tensor1d([1, 0]);
    const mask = tf.tensor1d([1, 1]);
    const context = { outputs, label, mask, labels: {}, masks: {} };
    const hinge = getLossKind(ENHANCEMENT_HINGE_KIND)({ ...context, options: {} });
    expect(hinge.dataSync()[0]!).toBeCloseTo((0 + Math.max(0, bce(0.3, 0) - bce(0.2, 0))) / 2, 6);
    const hard = getLossKind(HARD_EXAMPLE_KIND)({ ...context, options: { gamma: 1 } });
    expect(hard.dataSync()[0]!).toBeCloseTo((0.4 * bce(0.9, 1) + 0.2 * bce(0.3, 0)) / 2, 6);
    tf.dispose([...outputs, label, mask, hinge, hard]);
  });

  it('an empty sample space gives 0, not NaN', () => {
    const p = tf.tensor1d([0.9]);
    const zero = tf.tensor1d([0]);
    const loss = enhancementHinge(p, p, zero, zero);
    expect(loss.dataSync()[0]).toBe(0);
    tf.dispose([p, zero, loss]);
  });
});

describe('enhancement losses: gradients', () => {
  it('no gradient reaches the original prediction; the enhanced one gets gradient only where it is worse', () => {
    const p = tf.tensor1d([0.9, 0.2]);
    const p0 = tf.tensor1d([0.6, 0.5]);
    const y = tf.tensor1d([1, 1]);
    const mask = tf.tensor1d([1, 1]);
    for (const loss of [
      (a: tf.Tensor, b: tf.Tensor) => enhancementHinge(a as tf.Tensor1D, b as tf.Tensor1D, y, mask),
      (a: tf.Tensor, b: tf.Tensor) => hardExampleLoss(a as tf.Tensor1D, b as tf.Tensor1D, y, mask, 2),
    ]) {
      const [gp, gp0] = tf.grads(loss)([p, p0]);
      expect(Array.from(gp0!.dataSync())).toEqual([0, 0]);
      expect(Math.abs(gp!.dataSync()[1]!)).toBeGreaterThan(0.1);
      tf.dispose([gp!, gp0!]);
    }
    const [gp] = tf.grads((a: tf.Tensor, b: tf.Tensor) => enhancementHinge(a as tf.Tensor1D, b as tf.Tensor1D, y, mask))([p, p0]);
    // Row 0 is already better than the original: the hinge is flat there. Row 1: d/dp (−ln p)/2 = −1/(2·0.2).
    expect(gp!.dataSync()[0]).toBe(0);
    expect(gp!.dataSync()[1]!).toBeCloseTo(-1 / (2 * 0.2), 4);
    tf.dispose([gp!, p, p0, y, mask]);
  });
});
