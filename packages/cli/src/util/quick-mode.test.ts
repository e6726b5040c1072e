import { describe, expect, it } from 'vitest';
import { captureIo } from '../cli/io.js';
import { QUICK_LIMITS, quickCap, quickMode } from './quick-mode.js';

describe('EKTM_QUICK', () => {
  it('caps rows, epochs and steps only when set, and says so on stderr', () => {
    const off = captureIo({ env: {} });
    expect(quickMode(off, 'train')).toBe(false);
    expect(off.err()).toBe('');
    const on = captureIo({ env: { EKTM_QUICK: '1' } });
    expect(quickMode(on, 'train')).toBe(true);
    expect(on.err()).toMatch(/^ektm train: EKTM_QUICK=1, a smoke run: at most 2000 rows per file, 1 epoch, 1 seed, 2 bench steps/);
    expect(quickCap(true, undefined, QUICK_LIMITS.rows)).toBe(2000);
    expect(quickCap(true, 500, QUICK_LIMITS.rows)).toBe(500);
    expect(quickCap(true, 50_000, QUICK_LIMITS.rows)).toBe(2000);
    expect(quickCap(false, undefined, QUICK_LIMITS.rows)).toBeUndefined();
  });
});
