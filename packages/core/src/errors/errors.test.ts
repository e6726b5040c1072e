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
