import { describe, expect, it } from 'vitest';
import { keepAliveWhile } from './keep-alive.js';

const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

describe('keepAliveWhile', () => {
  it('holds one ref’d timer while the work is pending and none after it settles, with its value or its error', async () => {
    const before = timers();
    let finish!: (value: number) => void;
    const kept = keepAliveWhile(new Promise<number>((resolve) => (finish = resolve)));
    expect(timers()).toBe(before + 1);
    finish(7);
    await expect(kept).resolves.toBe(7);
    expect(timers()).toBe(before);
    await expect(keepAliveWhile(Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(timers()).toBe(before);
  });
});
