import { describe, expect, it } from 'vitest';
import { inferEktmRoles } from './index.js';

describe('inferEktmRoles', () => {
  it('parallel pattern without structure: the first task is the source, the rest are targets', () => {
    expect(inferEktmRoles([{ name: 'fullyear' }, { name: 'income' }, { name: 'gains' }, { name: 'dividends' }])).toEqual({
      sources: ['fullyear'],
      targets: ['income', 'gains', 'dividends'],
    });
  });

  it('sequential pattern: parents are sources, their children targets', () => {
    expect(inferEktmRoles([{ name: 'click' }, { name: 'buy', parent: 'click' }, { name: 'cart', parent: 'click' }])).toEqual({
      sources: ['click'],
      targets: ['buy', 'cart'],
    });
  });

  it('ESMM-style: the first product factor is the source; products have no representation', () => {
    expect(
      inferEktmRoles([{ name: 'click' }, { name: 'cvr', parent: 'click', weight: 0 }, { name: 'ctcvr', product: ['click', 'cvr'] }]),
    ).toEqual({
      sources: ['click'],
      targets: ['cvr'],
    });
  });

  it('explicit lists win and are checked', () => {
    const tasks = [{ name: 'a' }, { name: 'b' }, { name: 'c' }, { name: 'p', product: ['a', 'b'] }];
    expect(inferEktmRoles(tasks, { sources: ['b', 'c'] })).toEqual({ sources: ['b', 'c'], targets: ['a'] });
    expect(inferEktmRoles(tasks, { targets: ['c'] })).toEqual({ sources: ['a'], targets: ['c'] });
    expect(() => inferEktmRoles(tasks, { sources: ['p'] })).toThrow(/sources: "p" is not a task with its own tower/);
    expect(() => inferEktmRoles(tasks, { sources: ['a'], targets: ['a', 'b'] })).toThrow(/overlap: a/);
    expect(() => inferEktmRoles([{ name: 'a' }])).toThrow(/no target task left/);
  });
});
