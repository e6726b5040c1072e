/**
 * The search spaces of the registry, drawn for real: every configuration a search can draw for any model builds and
 * predicts on the simulator's task set, and the strongest models are searched over comparably rich spaces.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initEngine } from '@ektm/core';
import { MODELS } from '../models/models.js';
import { drawConfig } from './draw-config.js';
import { DEFAULT_TUNE_PROTOCOL } from './run-tune.js';
import { trialOptions } from './run-trial.js';
import { loadTuningData } from './tuning-data.js';

let data: Awaited<ReturnType<typeof loadTuningData>>;
beforeAll(async () => {
  await initEngine({ quiet: true });
  data = await loadTuningData({ dataset: 'synthetic', maxRows: 300 });
});

/** Builds the model of a configuration and predicts 16 validation rows; returns the probabilities of the first task. */
function buildAndPredict(model: string, config: Record<string, unknown>): Float32Array {
  const options = trialOptions({ dataset: data, model, registry: MODELS, protocol: DEFAULT_TUNE_PROTOCOL, seed: 0 }, config);
  const built = MODELS.build(model, { features: data.features, tasks: data.tasks, seed: 0, ...options.model });
  try {
    const v = data.splits.validation;
    const rows = {
      ...v,
      rows: 16,
      categorical: v.categorical.subarray(0, 16 * v.categoricalCount),
      numeric: v.numeric.subarray(0, 16 * v.numericCount),
    };
    const prediction = built.predict(rows, { batchSize: 16 });
    return Object.values(prediction.tasks)[0]!;
  } finally {
    built.dispose();
  }
}

const runnable = () => MODELS.list().filter((m) => MODELS.plan(m.name, data.tasks).ok);

describe('the search spaces of the registry', () => {
  const before = tf.memory().numTensors;
  afterAll(() => expect(tf.memory().numTensors).toBe(before));

  it('draw configurations that build and predict, for every model that runs on the task set', () => {
    const models = runnable();
    expect(models.map((m) => m.name)).toEqual(expect.arrayContaining(['mmoe', 'ple', 'aitm', 'ektm', 'esmm']));
    for (const m of models) {
      for (let trial = 0; trial < 4; trial++) {
        const config = drawConfig(m.searchSpace, 11, trial);
        let scores: Float32Array | undefined;
        try {
          scores = buildAndPredict(m.name, config);
        } catch (error) {
          throw new Error(`${m.name} trial ${trial} ${JSON.stringify(config)}: ${(error as Error).message}`, { cause: error });
        }
        expect(scores.every((p) => p > 0 && p < 1)).toBe(true);
      }
    }
  });

  it('draw EKTM configurations over every backbone, fusion, enhancement and transmitter, and all of them build', () => {
    const space = MODELS.get('ektm').searchSpace;
    const seen = new Set<string>();
    for (let trial = 0; trial < 30; trial++) {
      const config = drawConfig(space, 5, trial);
      for (const key of ['backbone', 'enhancer.fusion', 'enhancer.enhancement', 'transmitter.kind', 'router.similarity']) {
        seen.add(`${key}=${JSON.stringify(config[key])}`);
      }
      expect(() => buildAndPredict('ektm', config), JSON.stringify(config)).not.toThrow();
    }
    for (const key of ['backbone', 'enhancer.fusion', 'enhancer.enhancement', 'transmitter.kind', 'router.similarity']) {
      for (const value of (space[key] as { choice: unknown[] }).choice) expect(seen).toContain(`${key}=${JSON.stringify(value)}`);
    }
  });

  it('search the strongest baselines over spaces as rich as EKTM allows them, and EKTM over every option of its reconstruction', () => {
    const keys = (name: string) => Object.keys(MODELS.get(name).searchSpace);
    const common = ['learningRate', 'batchSize', 'embeddingDim', 'weightDecay', 'embeddingL2'];
    for (const name of ['mmoe', 'ple', 'aitm', 'ektm']) {
      expect(keys(name)).toEqual(expect.arrayContaining(common));
      expect(keys(name).length).toBeGreaterThanOrEqual(11);
    }
    expect(keys('ektm')).toEqual(
      expect.arrayContaining([
        'backbone',
        'router.similarity',
        'router.temperature',
        'router.includeSelf',
        'router.stopGradientSources',
        'transmitter.kind',
        'transmitter.units',
        'enhancer.fusion',
        'enhancer.enhancement',
        'enhancer.enhancementWeight',
        'enhancer.originalWeight',
        'enhancer.detachOriginal',
      ]),
    );
    expect(keys('ple')).toEqual(expect.arrayContaining(['levels', 'sharedExperts', 'taskExperts']));
    expect(keys('aitm')).toContain('calibratorWeight');
  });
});
