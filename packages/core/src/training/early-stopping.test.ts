import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import type { EncodedTable } from '../data/encoded-table.js';
import { EarlyStopper } from './early-stopping.js';
import { evaluate } from './evaluate.js';
import { syntheticModel, syntheticTable } from './synthetic-problem.js';
import { train } from './train.js';

const trainTable = syntheticTable(2048, 1);
const validTable = syntheticTable(1000, 2);
/** The validation labels inverted: the better the model learns, the worse its validation AUC gets. */
const invertedValidation: EncodedTable = {
  ...validTable,
  labels: { click: validTable.labels.click!.map((v) => 1 - v), buy: validTable.labels.buy! },
};

describe('EarlyStopper', () => {
  it('stops after `patience` epochs without an improvement larger than minDelta', () => {
    const s = new EarlyStopper(2, 0.01);
    const m = (value: number) => ({ value, description: String(value) });
    expect(s.update(0, m(0.7))).toBe(true);
    expect(s.update(1, m(0.705))).toBe(false); // within minDelta
    expect(s.shouldStop).toBe(false);
    expect(s.update(2, m(0.72))).toBe(true);
    expect(s.update(3, m(-Infinity))).toBe(false); // undefined metric never improves
    expect(s.update(4, m(0.71))).toBe(false);
    expect(s.shouldStop).toBe(true);
    expect(s.bestEpoch).toBe(2);
    const restored = new EarlyStopper(2, 0.01);
    restored.restore(s.snapshot());
    expect(restored.best).toEqual({ value: 0.72, description: '0.72' });
  });

  it('patience 0 stops at the first epoch without an improvement', () => {
    const s = new EarlyStopper(0, 0);
    s.update(0, { value: 0.5, description: '' });
    expect(s.shouldStop).toBe(false);
    s.update(1, { value: 0.4, description: '' });
    expect(s.shouldStop).toBe(true);
  });
});

describe('train with early stopping', () => {
  it('stops after `patience` epochs of a worsening monitor and restores the best epoch’s weights', async () => {
    const model = syntheticModel(1);
    const weightsByEpoch: Float32Array[][] = [];
    const result = await train(model, {
      train: trainTable,
      validation: invertedValidation,
      epochs: 10,
      batchSize: 256,
      learningRate: 0.02,
      earlyStopping: { monitor: { task: 'click', metric: 'auc' }, patience: 2 },
      progress: 'none',
      callbacks: { onEpochEnd: () => void weightsByEpoch.push(model.model.getWeights().map((w) => w.dataSync().slice() as Float32Array)) },
    });
    const aucs = result.history.map((h) => h.validation!.click!.auc!);
    expect(aucs[1]).toBeLessThan(aucs[0]!);
    expect(aucs[2]).toBeLessThan(aucs[0]!);
    expect(result.history).toHaveLength(3);
    expect(result.stoppedEarly).toBe(true);
    expect(result.stopReason).toBe('early-stopping');
    expect(result.bestEpoch).toBe(0);
    expect(result.bestMonitor!.value).toBeCloseTo(aucs[0]!, 12);
    expect(result.restoredBestWeights).toBe(true);
    const now = model.model.getWeights().map((w) => w.dataSync());
    now.forEach((w, i) => expect(Array.from(w)).toEqual(Array.from(weightsByEpoch[0]![i]!)));
    expect(evaluate(model, invertedValidation).click!.auc).toBeCloseTo(aucs[0]!, 10);
    model.dispose();
  });

  it('keeps the last weights with restoreBestWeights: false, and a callback can stop training', async () => {
    const model = syntheticModel(1);
    const result = await train(model, {
      train: trainTable,
      validation: invertedValidation,
      epochs: 10,
      batchSize: 256,
      learningRate: 0.02,
      earlyStopping: { monitor: { click: 1 }, patience: 1, restoreBestWeights: false },
      progress: 'none',
    });
    expect(result.history).toHaveLength(2);
    expect(result.restoredBestWeights).toBe(false);
    expect(evaluate(model, invertedValidation).click!.auc).toBeCloseTo(result.history[1]!.validation!.click!.auc!, 10);

    const before = tf.memory().numTensors;
    const stopped = await train(model, {
      train: trainTable,
      epochs: 10,
      batchSize: 256,
      progress: 'none',
      callbacks: { onBatchEnd: (step, _logs, control) => (step === 2 ? control.stop() : undefined) },
    });
    expect(stopped.history).toHaveLength(1);
    expect(stopped.history[0]!.steps).toBe(3);
    expect(stopped.stopReason).toBe('callback');
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
