import { describe, expect, it } from 'vitest';
import { TableFeatureError } from '../data/check-table.js';
import { NonFiniteLossError } from '../training/non-finite-loss-error.js';
import { ConfigError } from './config-error.js';
import { DataError } from './data-error.js';
import { EktmError, isEktmError } from './ektm-error.js';
import { InterruptedError } from './interrupted-error.js';
import { ModelFileError } from './model-file-error.js';

describe('typed errors', () => {
  it('each kind is an EktmError with its own kind, name and location fields', () => {
    const config = new ConfigError('train: batchSize is 0; it must be an integer ≥ 1', 'batchSize', 'best.json');
    const data = new DataError('train.csv:12: field "age": "x" is not a number', { file: 'train.csv', line: 12, field: 'age' });
    const file = new ModelFileError('weights.bin: checksum mismatch', 'out/model/weights.bin');
    const stop = new InterruptedError('stopped after 3 of 8 runs; rerun with --resume');
    expect([config, data, file, stop].map((e) => [e instanceof EktmError, e.kind, e.name])).toEqual([
      [true, 'config', 'ConfigError'],
      [true, 'data', 'DataError'],
      [true, 'model-file', 'ModelFileError'],
      [true, 'interrupted', 'InterruptedError'],
    ]);
    expect([config.key, config.file]).toEqual(['batchSize', 'best.json']);
    expect([data.file, data.line, data.field]).toEqual(['train.csv', 12, 'age']);
    expect(file.file).toBe('out/model/weights.bin');
  });

  it('the older specific errors are kinds too', () => {
    const table = new TableFeatureError('predict: feature "user" id 99 is outside 0..9', 'user', 4, 99);
    expect(table).toBeInstanceOf(DataError);
    expect([table.kind, table.field, table.row, table.name]).toEqual(['data', 'user', 4, 'TableFeatureError']);
    const diverged = new NonFiniteLossError('total', 0, 3, Number.NaN, undefined, 0.1);
    expect([diverged instanceof EktmError, diverged.kind]).toEqual([true, 'training']);
  });

  it('isEktmError recognises errors by kind, also plain objects that crossed a worker boundary', () => {
    expect(isEktmError(new ConfigError('x'))).toBe(true);
    expect(isEktmError(new ConfigError('x'), 'data')).toBe(false);
    expect(isEktmError({ name: 'DataError', kind: 'data', message: 'm' }, 'data')).toBe(true);
    expect(isEktmError(new Error('plain'))).toBe(false);
    expect(isEktmError({ kind: 'other', message: 'm' })).toBe(false);
    expect(isEktmError(null)).toBe(false);
  });
});

describe('the library throws the right kind, with the key or the file', () => {
  it('bad options are ConfigErrors naming the key; a broken saved model is a ModelFileError naming the file', async () => {
    const { resolveTasks } = await import('../tasks/task-spec.js');
    const { loadModel } = await import('../persistence/load-model.js');
    const { buildMultiTaskModel } = await import('../model/build-model.js');
    const { SharedBottom } = await import('../blocks/shared-bottom.js');
    const { train } = await import('../training/train.js');
    const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');

    const badTask = (() => {
      try {
        resolveTasks([{ name: 'click' }, { name: 'click' }]);
      } catch (error) {
        return error;
      }
    })();
    expect(badTask).toBeInstanceOf(ConfigError);
    expect(badTask).toMatchObject({ key: 'tasks[1].name', message: 'tasks[1].name: duplicate task name "click"' });

    const model = buildMultiTaskModel({
      features: [{ name: 'a', type: 'categorical', vocabularySize: 3 }],
      tasks: [{ name: 'click' }],
      backbone: (ctx) => new SharedBottom({ tasks: ctx.towerTasks, seed: ctx.seed }),
    });
    const table = {
      rows: 2,
      categorical: Int32Array.from([0, 1]),
      categoricalCount: 1,
      numeric: new Float32Array(0),
      numericCount: 0,
      labels: { click: Float32Array.from([0, 1]) },
    };
    await expect(train(model, { train: table, batchSize: 0, progress: 'none' })).rejects.toMatchObject({
      kind: 'config',
      key: 'batchSize',
    });
    model.dispose();

    const dir = await mkdtemp(join(tmpdir(), 'ektm-errors-'));
    try {
      await writeFile(join(dir, 'ektm.json'), '{ not json');
      const broken = await loadModel(dir).catch((error: unknown) => error);
      expect(broken).toBeInstanceOf(ModelFileError);
      expect((broken as ModelFileError).file).toBe(join(dir, 'ektm.json'));
      expect((broken as Error).message).toMatch(/ektm\.json: malformed JSON/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
