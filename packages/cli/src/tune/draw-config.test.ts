import { describe, expect, it } from 'vitest';
import type { SearchSpace } from '@ektm/core';
import { drawConfig } from './draw-config.js';

const SPACE: SearchSpace = {
  learningRate: { log: [1e-4, 1e-2] },
  dropout: { uniform: [0, 0.3] },
  experts: { int: [2, 8] },
  backbone: { choice: ['shared-bottom', 'mmoe'] },
  'expert.units': { choice: [[64], [128, 64]], when: { backbone: 'mmoe' } },
  'bottom.units': { choice: [[32]], when: { backbone: ['shared-bottom'] } },
};

describe('drawConfig', () => {
  it('gives the same configuration for the same seed and trial, and others for other seeds or trials', () => {
    expect(drawConfig(SPACE, 1, 3)).toEqual(drawConfig(SPACE, 1, 3));
    const trials = Array.from({ length: 20 }, (_, i) => JSON.stringify(drawConfig(SPACE, 1, i)));
    expect(new Set(trials).size).toBe(20);
    expect(drawConfig(SPACE, 2, 3)).not.toEqual(drawConfig(SPACE, 1, 3));
  });

  it('draws every value from its distribution, with four significant digits', () => {
    for (let trial = 0; trial < 200; trial++) {
      const c = drawConfig(SPACE, 7, trial) as { learningRate: number; dropout: number; experts: number; backbone: string };
      expect(c.learningRate).toBeGreaterThanOrEqual(1e-4);
      expect(c.learningRate).toBeLessThanOrEqual(1e-2);
      expect(Number(c.learningRate.toPrecision(4))).toBe(c.learningRate);
      expect(c.dropout >= 0 && c.dropout <= 0.3).toBe(true);
      expect(Number.isInteger(c.experts) && c.experts >= 2 && c.experts <= 8).toBe(true);
      expect(['shared-bottom', 'mmoe']).toContain(c.backbone);
    }
    // Every integer and every choice comes up; the log scale puts about half the draws below the geometric mean 1e-3.
    const draws = Array.from({ length: 400 }, (_, i) => drawConfig(SPACE, 7, i));
    expect(new Set(draws.map((c) => c.experts)).size).toBe(7);
    const below = draws.filter((c) => (c.learningRate as number) < 1e-3).length;
    expect(below).toBeGreaterThan(150);
    expect(below).toBeLessThan(250);
  });

  it('draws a conditional key only when its condition holds', () => {
    for (let trial = 0; trial < 50; trial++) {
      const c = drawConfig(SPACE, 3, trial);
      expect('expert.units' in c).toBe(c.backbone === 'mmoe');
      expect('bottom.units' in c).toBe(c.backbone === 'shared-bottom');
    }
  });

  it("keeps a key's values when other keys are added, removed or reordered", () => {
    const { dropout: _dropout, ...fewer } = SPACE;
    const reordered = Object.fromEntries(Object.entries(SPACE).reverse()) as SearchSpace;
    for (let trial = 0; trial < 10; trial++) {
      const full = drawConfig(SPACE, 5, trial);
      const { dropout: _d, ...rest } = full;
      expect(drawConfig(fewer, 5, trial)).toEqual(rest);
      expect(drawConfig(reordered, 5, trial)).toEqual(full);
      expect(Object.keys(full)).toEqual(Object.keys(SPACE).filter((k) => k in full));
    }
  });

  it('copies choices, so that changing a drawn value leaves the space as it was', () => {
    const space: SearchSpace = { 'expert.units': { choice: [[64]] } };
    (drawConfig(space, 0, 0)['expert.units'] as number[]).push(1);
    expect(space['expert.units']).toEqual({ choice: [[64]] });
  });
});
