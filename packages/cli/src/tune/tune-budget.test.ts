import { describe, expect, it } from 'vitest';
import { ConfigError } from '@ektm/core';
import { formatBudget, formatDuration, parseBudget, parseDuration, successiveHalvingRungs } from './tune-budget.js';

describe('the budget of a search', () => {
  it('parses epochs and time budgets, with the first rung and eta', () => {
    expect(parseBudget('epochs=9')).toEqual({ kind: 'epochs', max: 9, min: 1, eta: 3 });
    expect(parseBudget('epochs', { fallbackEpochs: 4 })).toEqual({ kind: 'epochs', max: 4, min: 1, eta: 3 });
    expect(parseBudget('epochs=8', { min: '2', eta: 2 })).toEqual({ kind: 'epochs', max: 8, min: 2, eta: 2 });
    expect(parseBudget('time=9m')).toEqual({ kind: 'time', max: 540, min: 60, eta: 3 });
    expect(parseBudget('time=1.5h', { min: '90s' })).toMatchObject({ max: 5400, min: 90 });
    expect([parseDuration('600'), parseDuration('2m'), parseDuration('0s'), parseDuration('soon')]).toEqual([
      600,
      120,
      undefined,
      undefined,
    ]);
    expect([formatDuration(42), formatDuration(125), formatDuration(7380)]).toEqual(['42 s', '2m 05s', '2h 03m']);
  });

  it.each([
    ['steps=9', {}, 'budget', 'use epochs=<n>'],
    ['epochs=0', {}, 'budget', 'a whole number of epochs >= 1'],
    ['epochs=2.5', {}, 'budget', 'a whole number of epochs'],
    ['time=soon', {}, 'budget', 'a duration such as 90s'],
    ['epochs=3', { min: '4' }, 'min-budget', 'more than the budget'],
    ['epochs=3', { eta: 1 }, 'eta', 'use an integer >= 2'],
  ])('rejects %s %j naming the key', (text, options, key, message) => {
    let error: unknown;
    try {
      parseBudget(text, options);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).key).toBe(key);
    expect((error as Error).message).toContain(message);
  });

  it('plans rungs whose resources grow by eta up to the budget, each keeping the best 1/eta (at least one)', () => {
    const rungs = (text: string, trials: number, min?: string) =>
      successiveHalvingRungs(parseBudget(text, { min }), trials).map((r) => [r.resource, r.size]);
    expect(rungs('epochs=9', 27)).toEqual([
      [1, 27],
      [3, 9],
      [9, 3],
    ]);
    expect(rungs('epochs=9', 8)).toEqual([
      [1, 8],
      [3, 2],
      [9, 1],
    ]);
    expect(rungs('epochs=10', 9)).toEqual([
      [1, 9],
      [3, 3],
      [10, 1],
    ]);
    expect(rungs('epochs=3', 8)).toEqual([
      [1, 8],
      [3, 2],
    ]);
    // A budget below eta epochs, or a first rung equal to the budget, is plain random search.
    expect(rungs('epochs=2', 5)).toEqual([[2, 5]]);
    expect(rungs('epochs=9', 5, '9')).toEqual([[9, 5]]);
    expect(rungs('time=9m', 9)).toEqual([
      [60, 9],
      [180, 3],
      [540, 1],
    ]);
    expect(formatBudget(parseBudget('epochs=9'), 8)).toBe('epochs=9 (rungs 1, 3, 9 epochs; eta 3)');
  });
});
