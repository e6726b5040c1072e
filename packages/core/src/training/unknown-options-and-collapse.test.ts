import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/config-error.js';
import { checkNotCollapsed, CollapsedModelError, constantPredictions } from './collapse-check.js';
import { syntheticModel, syntheticTable } from './synthetic-problem.js';
import { train } from './train.js';

async function configError(promise: Promise<unknown>): Promise<ConfigError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('train: unknown option keys are errors', () => {
  it('names a misspelt option, nested ones too, with the closest known key', async () => {
    const model = syntheticModel(0);
    const table = syntheticTable(64, 1);
    try {
      const typo = await configError(train(model, { train: table, batchsize: 32 } as never));
      expect([typo.key, typo.message]).toEqual([
        'batchsize',
        expect.stringMatching(/^train: unknown option batchsize \(did you mean batchSize\?\); options are train, validation, /),
      ]);
      const nested = await configError(train(model, { train: table, validation: table, earlyStopping: { patiense: 2 } } as never));
      expect(nested.key).toBe('earlyStopping.patiense');
      expect(nested.message).toContain('(did you mean earlyStopping.patience?)');
      const hook = await configError(train(model, { train: table, callbacks: { onEpochEnded: () => undefined } } as never));
      expect(hook.message).toContain('unknown option callbacks.onEpochEnded (did you mean callbacks.onEpochEnd?)');
    } finally {
      model.dispose();
    }
  });
});

describe('checkNotCollapsed', () => {
  it('passes a trained model and fails one whose every prediction is the same, naming the learning rate', async () => {
    const table = syntheticTable(400, 2);
    const model = syntheticModel(0);
    const collapsed = syntheticModel(1);
    try {
      await train(model, { train: table, epochs: 2, batchSize: 64, learningRate: 0.02, progress: 'none' });
      expect(() => checkNotCollapsed(model, table)).not.toThrow();
      expect(constantPredictions(model, table)).toEqual({});
      // Zero weights: every head predicts sigmoid(0) = 0.5 for every row, as a saturated (collapsed) model predicts one constant.
      tf.tidy(() => collapsed.model.setWeights(collapsed.model.getWeights().map((w) => tf.zerosLike(w))));
      expect(constantPredictions(collapsed, table)).toEqual({ click: 0.5, cvr: 0.5 });
      let error: unknown;
      try {
        checkNotCollapsed(collapsed, table, { learningRate: 1e6 });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(CollapsedModelError);
      expect((error as CollapsedModelError).kind).toBe('training');
      expect((error as Error).message).toMatch(
        /^the model collapsed: it predicts the same probability for all 400 validation rows \(click 0.5000, cvr 0.5000\)/,
      );
      expect((error as Error).message).toContain('(it was 1000000)');
    } finally {
      model.dispose();
      collapsed.dispose();
    }
  });
});

describe('evaluate without labels', () => {
  it('says the table has no labels and how to score such rows, naming no internal class', async () => {
    const { evaluate } = await import('./evaluate.js');
    const model = syntheticModel(0);
    try {
      const table = { ...syntheticTable(10, 1), labels: {} };
      expect(() => evaluate(model, table)).toThrow(
        'evaluate: the table has no labels for task "click" (label "click"), task "cvr" (label "buy"); its labels are (none). Evaluating needs labelled rows; to score rows without labels, use model.predict (ektm predict)',
      );
    } finally {
      model.dispose();
    }
  });
});
