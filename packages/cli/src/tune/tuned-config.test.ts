import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '@ektm/core';
import { MODELS } from '../models/models.js';
import { readTunedConfig, runSettings } from './tuned-config.js';

const dir = mkdtempSync(join(tmpdir(), 'ektm-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const file = (content: unknown) => {
  const path = join(dir, `c${n++}.json`);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
};

const GOOD = {
  model: 'mmoe',
  training: { learningRate: 0.002, batchSize: 512, weightDecay: 1e-4, epochs: 9, earlyStopping: { patience: 3 } },
  options: { embeddingDim: 16, experts: 6, expert: { units: [128] }, tower: { dropout: 0.1 } },
  validationsPerEpoch: 2,
};

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration files (best.json)', () => {
  it('reads a configuration and lays it over the command defaults, under the flags given', () => {
    const config = readTunedConfig(file(GOOD), MODELS);
    expect(config).toMatchObject(GOOD);
    const base = { epochs: 3, batchSize: 1024, learningRate: 3e-3, patience: 2, validationsPerEpoch: 1, embeddingL2: 0, embeddingDim: 8 };
    expect(runSettings(base, config, { batchSize: 256 })).toEqual({
      epochs: 9,
      batchSize: 256,
      learningRate: 0.002,
      patience: 3,
      validationsPerEpoch: 2,
      embeddingL2: 0,
      embeddingDim: 16,
      extraTraining: { weightDecay: 1e-4 },
      modelOptions: { experts: 6, expert: { units: [128] }, tower: { dropout: 0.1 } },
    });
    expect(runSettings(base, undefined)).toMatchObject({ ...base, extraTraining: {}, modelOptions: {} });
  });

  it.each([
    [{ ...GOOD, extra: 1 }, 'extra', 'unknown key "extra"'],
    [{ ...GOOD, model: 'mmeo' }, 'model', 'unknown model "mmeo" (did you mean "mmoe"?)'],
    [{ ...GOOD, model: 3 }, 'model', 'model must be a model name'],
    [{ ...GOOD, training: { learningRate: -1 } }, 'training.learningRate', '-1 is not allowed'],
    [{ ...GOOD, training: { batchsize: 512 } }, 'training.batchsize', 'did you mean "batchSize"?'],
    [{ ...GOOD, training: { seed: 3 } }, 'training.seed', 'unknown option'],
    [{ ...GOOD, training: { earlyStopping: { monitor: { cart: 1 } } } }, 'training.earlyStopping.monitor', 'unknown option'],
    [{ ...GOOD, options: { expert: { units: [0] } } }, 'options.expert.units', 'every element must be >= 1'],
    [{ ...GOOD, options: { experts: 'six' } }, 'options.experts', 'it must be an integer'],
    [{ ...GOOD, options: { seed: 2 } }, 'options.seed', 'set by the command'],
    [{ ...GOOD, validationsPerEpoch: 0 }, 'validationsPerEpoch', 'use an integer >= 1'],
  ])('rejects %j naming the key and the file', (content, key, message) => {
    const path = file(content);
    const error = configError(() => readTunedConfig(path, MODELS));
    expect(error.key).toBe(key);
    expect(error.file).toBe(path);
    expect(error.message).toContain(message);
  });

  it('rejects a file that is missing, not JSON, or for another model than asked', () => {
    expect(configError(() => readTunedConfig(join(dir, 'nowhere.json'), MODELS)).message).toContain('no such file');
    const broken = file('{\n  "model": "mmoe",\n  oops\n}');
    expect(configError(() => readTunedConfig(broken, MODELS)).message).toContain(`${broken}:3: not JSON`);
    const error = configError(() => readTunedConfig(file(GOOD), MODELS, 'ple'));
    expect([error.key, error.message.includes('is for model "mmoe", not "ple"')]).toEqual(['model', true]);
    // Without a model in the file, the command's model is used.
    const { model: _model, ...anonymous } = GOOD;
    expect(readTunedConfig(file(anonymous), MODELS, 'mmoe').model).toBe('mmoe');
  });
});
