import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import type { EncodedTable } from '../data/encoded-table.js';
import { FeatureEmbedding } from '../layers/feature-embedding.js';
import { evaluate } from './evaluate.js';
import { syntheticModel, syntheticTable } from './synthetic-problem.js';
import { train } from './train.js';
import type { ValidationPoint } from './train-options.js';

const trainTable = syntheticTable(2048, 1);
const validTable = syntheticTable(1000, 2);
/** The validation labels inverted: the better the model learns, the worse its validation AUC gets. */
const invertedValidation: EncodedTable = {
  ...validTable,
  labels: { click: validTable.labels.click!.map((v) => 1 - v), buy: validTable.labels.buy! },
};

describe('train with validateEvery', () => {
  it('validates inside epochs, stops early inside the first epoch, and restores the weights of the best step', async () => {
    const model = syntheticModel(1);
    const points: ValidationPoint[] = [];
    const weightsAtStep = new Map<number, Float32Array[]>();
    const result = await train(model, {
      train: trainTable,
      validation: invertedValidation,
      epochs: 5,
      batchSize: 128, // 16 steps an epoch
      learningRate: 0.02,
      validateEvery: 4,
      earlyStopping: { monitor: { task: 'click', metric: 'auc' }, patience: 2 },
      progress: 'none',
      callbacks: {
        onValidation: (point) => {
          points.push(point);
          weightsAtStep.set(
            point.step,
            model.model.getWeights().map((w) => w.dataSync().slice() as Float32Array),
          );
        },
      },
    });
    // Validations at steps 4, 8, 12: the monitor worsens after the first, so patience 2 ends training at step 12.
    expect(points.map((p) => p.step)).toEqual([4, 8, 12]);
    expect(points.map((p) => p.epochProgress)).toEqual([0.25, 0.5, 0.75]);
    expect(points.map((p) => p.improved)).toEqual([true, false, false]);
    expect(result.stopReason).toBe('early-stopping');
    expect(result.history).toHaveLength(1);
    expect(result.history[0]!.steps).toBe(12);
    expect(result.history[0]!.validations!.map((p) => p.step)).toEqual([4, 8, 12]);
    expect(result.bestEpoch).toBe(0);
    expect(result.bestStep).toBe(4);
    expect(result.restoredBestWeights).toBe(true);
    expect(result.stoppedAtLimitImproving).toBe(false);
    model.model.getWeights().forEach((w, i) => expect(Array.from(w.dataSync())).toEqual(Array.from(weightsAtStep.get(4)![i]!)));
    expect(evaluate(model, invertedValidation).click!.auc).toBeCloseTo(points[0]!.validation.click!.auc!, 10);
    model.dispose();
  });

  it('without an early stop, validates every N steps and at the end of every epoch, and says when the limit cut an improving run', async () => {
    const model = syntheticModel(1);
    const before = tf.memory().numTensors;
    const result = await train(model, {
      train: trainTable,
      validation: validTable,
      epochs: 2,
      batchSize: 256, // 8 steps an epoch
      learningRate: 0.01,
      validateEvery: 3,
      earlyStopping: { patience: 100 },
      progress: 'none',
    });
    expect(result.history.map((h) => h.validations!.map((p) => p.step))).toEqual([
      [3, 6, 8],
      [11, 14, 16],
    ]);
    const all = result.history.flatMap((h) => h.validations!);
    const last = all[all.length - 1]!;
    expect(result.stoppedAtLimitImproving).toBe(last.improved);
    expect(result.history[1]!.validation).toEqual(last.validation);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('refuses validateEvery without a validation set or with a bad value', async () => {
    const model = syntheticModel(1);
    await expect(train(model, { train: trainTable, validateEvery: 10, progress: 'none' })).rejects.toThrow(
      /validateEvery needs a validation set/,
    );
    await expect(train(model, { train: trainTable, validation: validTable, validateEvery: 0, progress: 'none' })).rejects.toThrow(
      /validateEvery must be a positive integer, got 0/,
    );
    model.dispose();
  });
});

describe('embeddingL2', () => {
  it('FeatureEmbedding.l2Penalty is the mean over rows of the summed squares of the looked-up vectors', () => {
    const layer = new FeatureEmbedding({
      features: [
        { name: 'a', type: 'categorical', vocabularySize: 3 },
        { name: 'b', type: 'categorical', vocabularySize: 2, embeddingDim: 1 },
      ],
      embeddingDim: 2,
    });
    layer.build([null, 2]);
    // Table d2: rows of field a; table d1: rows of field b.
    const [d2, d1] = layer.getWeights();
    layer.setWeights([
      tf.tensor2d(
        [
          [1, 2],
          [3, 4],
          [0, 1],
        ],
        d2!.shape as [number, number],
      ),
      tf.tensor2d([[5], [-1]], d1!.shape as [number, number]),
    ]);
    const ids = tf.tensor2d(
      [
        [0, 1],
        [2, 0],
      ],
      [2, 2],
      'int32',
    );
    // Row 0: a=0 → (1,2): 5; b=1 → -1: 1. Row 1: a=2 → (0,1): 1; b=0 → 5: 25. Mean of 6 and 26 = 16.
    const before = tf.memory().numTensors;
    const penalty = layer.l2Penalty(ids);
    expect(penalty.dataSync()[0]).toBeCloseTo(16, 6);
    penalty.dispose();
    expect(tf.memory().numTensors).toBe(before);
    ids.dispose();
  });

  it('shrinks the embedding vectors the batches use, and is part of the total loss', async () => {
    const norm = (seed: number, embeddingL2: number) =>
      (async () => {
        const model = syntheticModel(seed);
        const result = await train(model, {
          train: trainTable,
          epochs: 2,
          batchSize: 256,
          learningRate: 0.02,
          embeddingL2,
          progress: 'none',
        });
        const table = model.model.layers.find((l) => l instanceof FeatureEmbedding)!.getWeights()[0]!;
        const value = tf.tidy(() => tf.sum(tf.square(table)).dataSync()[0]!);
        const total = result.history[1]!.losses;
        model.dispose();
        return { value, extra: total.total! - total.click! - total.cvr! };
      })();
    const plain = await norm(3, 0);
    const regularised = await norm(3, 0.5);
    expect(regularised.value).toBeLessThan(plain.value * 0.5);
    expect(plain.extra).toBeCloseTo(0, 5);
    expect(regularised.extra).toBeGreaterThan(0);
  });
});
