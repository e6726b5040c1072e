import { describe, expect, it } from 'vitest';
import { criticalValue, twoSidedP } from './distributions.js';

describe('distributions (stdlib)', () => {
  it('match R’s qnorm, qt, pnorm and pt', () => {
    // R 4.2.2: qnorm(0.975) 1.9599639845400536; qt(0.975, 2) 4.3026527297494619; qt(0.95, 4) 2.131846786326649;
    // qt(0.975, 2.5) 3.5746548420036919; 2*pt(-2.1, 2) 0.17054986918996745; 2*pt(-3, 7.3) 0.018980551023133493;
    // 2*pnorm(-1.96) 0.049995790296440856; 2*pnorm(-9) 2.2571768119076816e-19.
    expect(criticalValue(0.95)).toBeCloseTo(1.9599639845400536, 14);
    expect(criticalValue(0.95, 2)).toBeCloseTo(4.3026527297494619, 12);
    expect(criticalValue(0.9, 4)).toBeCloseTo(2.131846786326649, 12);
    expect(criticalValue(0.95, 2.5)).toBeCloseTo(3.5746548420036919, 11);
    expect(twoSidedP(2.1, 2)).toBeCloseTo(0.17054986918996745, 14);
    expect(twoSidedP(-3, 7.3)).toBeCloseTo(0.018980551023133493, 14);
    expect(twoSidedP(1.96)).toBeCloseTo(0.049995790296440856, 15);
    expect(twoSidedP(-9) / 2.2571768119076816e-19).toBeCloseTo(1, 12);
    expect(twoSidedP(0)).toBe(1);
    expect(twoSidedP(Infinity)).toBe(0);
  });
});
