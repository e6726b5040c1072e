import { describe, expect, it } from 'vitest';
import { holmAdjust } from './holm.js';

describe('holmAdjust', () => {
  it('matches R’s p.adjust(p, "holm")', () => {
    // R 4.2.2: p.adjust(c(0.01, 0.04, 0.03, 0.005, 0.5), "holm") = 0.04 0.09 0.09 0.025 0.5
    const a = holmAdjust([0.01, 0.04, 0.03, 0.005, 0.5]);
    [0.04, 0.09, 0.09, 0.025, 0.5].forEach((v, i) => expect(a[i]).toBeCloseTo(v, 15));
    // p.adjust(c(0.02, 0.02, 0.2, 0.001), "holm") = 0.06 0.06 0.2 0.004
    const b = holmAdjust([0.02, 0.02, 0.2, 0.001]);
    [0.06, 0.06, 0.2, 0.004].forEach((v, i) => expect(b[i]).toBeCloseTo(v, 15));
  });

  it('caps at 1, keeps a single p-value and an empty family', () => {
    expect(holmAdjust([0.6, 0.7])).toEqual([1, 1]);
    expect(holmAdjust([0.03])).toEqual([0.03]);
    expect(holmAdjust([])).toEqual([]);
  });

  it('rejects a value outside [0, 1]', () => {
    expect(() => holmAdjust([0.1, 1.5])).toThrow('pValues[1] is 1.5');
    expect(() => holmAdjust([NaN])).toThrow('pValues[0] is NaN');
  });
});
