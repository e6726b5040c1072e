import * as tf from '@tensorflow/tfjs-core';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCheckpoint, disposeCheckpoint } from '../persistence/checkpoint.js';
import type { LossTermSpec } from '../tasks/loss-terms.js';
import type { MultiTaskModel } from '../model/multi-task-model.js';
import { clipByGlobalNorm } from './gradient-clipping.js';
import { FixedWeighting, UncertaintyWeighting } from './loss-weighting.js';
import { syntheticModel, syntheticTable } from './synthetic-problem.js';
import { train } from './train.js';

const trainTable = syntheticTable(2048, 1);

const term = (name: string, role: 'task' | 'auxiliary', weight = 1): LossTermSpec => ({
  name,
  kind: 'bce',
  outputs: [`prob:${name}`],
  task: name,
  weight,
  role,
});

function snapshot(model: MultiTaskModel): { names: string[]; values: Float32Array[] } {
  return {
    names: model.model.weights.map((w) => w.originalName),
    values: model.model.getWeights().map((w) => w.dataSync().slice() as Float32Array),
  };
}

describe('loss weighting', () => {
  it('fixed: Σ wᵢ·Lᵢ', () => {
    const w = new FixedWeighting([2, 0.5]);
    const total = w.combine([tf.scalar(0.3), tf.scalar(0.8)]);
    expect(total.dataSync()[0]).toBeCloseTo(2 * 0.3 + 0.5 * 0.8, 6);
    total.dispose();
  });

  it('uncertainty: Σ_task wᵢ(exp(−sᵢ)Lᵢ + sᵢ/2) + Σ_aux wⱼLⱼ, exactly', () => {
    const w = new UncertaintyWeighting([term('a', 'task'), term('b', 'task', 2), term('a/aux', 'auxiliary', 0.3)], [1, 2, 0.3]);
    expect(w.variables).toHaveLength(2);
    w.restore({ a: 0.4, b: -0.7 });
    const total = w.combine([tf.scalar(0.3), tf.scalar(0.8), tf.scalar(1.5)]);
    const expected = Math.exp(-0.4) * 0.3 + 0.2 + 2 * (Math.exp(0.7) * 0.8 - 0.35) + 0.3 * 1.5;
    expect(total.dataSync()[0]).toBeCloseTo(expected, 5);
    expect(w.state().a).toBeCloseTo(0.4, 6);
    total.dispose();
    w.dispose();
  });

  it('uncertainty: learns its log-variances towards log(2·Lᵢ) and saves them in the checkpoint', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ektm-uncertainty-'));
    try {
      const model = syntheticModel(1);
      const result = await train(model, {
        train: trainTable,
        epochs: 3,
        batchSize: 256,
        learningRate: 0.05,
        lossWeighting: 'uncertainty',
        checkpointDir: dir,
        progress: 'none',
      });
      const s = result.logVariances!;
      expect(Object.keys(s)).toEqual(['click', 'cvr']);
      const last = result.history[2]!;
      for (const name of ['click', 'cvr']) {
        expect(Math.abs(s[name]!)).toBeGreaterThan(1e-3);
        // dTotal/ds = −exp(−s)·L + 1/2: s moves towards log(2L) from 0.
        const target = Math.log(2 * last.losses[name]!);
        if (Math.abs(target) > 0.05) expect(Math.sign(s[name]!)).toBe(Math.sign(target));
      }
      expect(last.logVariances).toEqual(s);
      const checkpoint = (await readCheckpoint(dir))!;
      expect((checkpoint.extra as { logVariances: Record<string, number> }).logVariances).toEqual(s);
      disposeCheckpoint(checkpoint);
      model.dispose();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('clipByGlobalNorm scales all gradients by clipNorm / max(norm, clipNorm)', () => {
    const grads = { a: tf.tensor1d([3]), b: tf.tensor2d([[0, 4]]) };
    const clipped = clipByGlobalNorm(grads, 1);
    expect(clipped.norm.dataSync()[0]).toBeCloseTo(5, 6);
    expect(Array.from(clipped.grads.a!.dataSync())).toEqual([expect.closeTo(0.6, 6)]);
    expect(Array.from(clipped.grads.b!.dataSync())).toEqual([0, expect.closeTo(0.8, 6)]);
    const loose = clipByGlobalNorm(grads, 10);
    expect(Array.from(loose.grads.b!.dataSync())).toEqual([0, 4]);
    tf.dispose([grads.a, grads.b, clipped.norm, ...Object.values(clipped.grads), loose.norm, ...Object.values(loose.grads)]);
  });

  it('clipNorm bounds the joint step: one SGD step moves the weights by exactly learningRate·clipNorm', async () => {
    const model = syntheticModel(2);
    const before = snapshot(model).values;
    await train(model, {
      train: syntheticTable(256, 9),
      epochs: 1,
      batchSize: 256,
      optimizer: 'sgd',
      learningRate: 1,
      clipNorm: 0.01,
      progress: 'none',
    });
    const after = snapshot(model).values;
    let sq = 0;
    after.forEach((a, i) => a.forEach((v, j) => (sq += (v - before[i]![j]!) ** 2)));
    expect(Math.sqrt(sq)).toBeCloseTo(0.01, 4);
    model.dispose();
  });

  it('weightDecay is decoupled: with zero loss weights, kernels and embeddings shrink by (1 − lr·decay), biases stay', async () => {
    const model = syntheticModel(3);
    const before = snapshot(model);
    await train(model, {
      train: syntheticTable(256, 9),
      epochs: 1,
      batchSize: 256,
      optimizer: 'sgd',
      learningRate: 0.5,
      weightDecay: 0.1,
      taskWeights: { click: 0, cvr: 0 },
      progress: 'none',
    });
    const after = snapshot(model).values;
    const shapes = model.model.getWeights().map((w) => w.shape);
    before.values.forEach((b, i) => {
      const factor = shapes[i]!.length >= 2 ? 0.95 : 1;
      b.forEach((v, j) => expect(after[i]![j]).toBeCloseTo(v * factor, 6));
    });
    expect(shapes.some((s) => s.length === 1)).toBe(true);
    model.dispose();
  });

  it('adamw applies a default decay of 0.01; adam none', async () => {
    const zeroed = async (optimizer: 'adam' | 'adamw') => {
      const model = syntheticModel(3);
      const kernel = model.model.getWeights()[0]!.dataSync().slice();
      await train(model, {
        train: syntheticTable(256, 9),
        epochs: 1,
        batchSize: 256,
        optimizer,
        learningRate: 0.1,
        taskWeights: { click: 0, cvr: 0 },
        progress: 'none',
      });
      const ratio = model.model.getWeights()[0]!.dataSync()[0]! / kernel[0]!;
      model.dispose();
      return ratio;
    };
    expect(await zeroed('adam')).toBeCloseTo(1, 6);
    expect(await zeroed('adamw')).toBeCloseTo(1 - 0.1 * 0.01, 6);
  });
});
