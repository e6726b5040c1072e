import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { ProgressiveLayeredExtraction } from './progressive-layered-extraction.js';
import { randomInput, values, runLayerChecklist } from '@ektm/testing';

describe('ProgressiveLayeredExtraction', () => {
  it('passes the layer checklist (two levels)', () => {
    runLayerChecklist(
      () =>
        new ProgressiveLayeredExtraction({
          tasks: ['a', 'b'],
          levels: 2,
          sharedExperts: 1,
          taskExperts: 2,
          expert: { units: [5, 4] },
          seed: 3,
        }),
      [randomInput(6, 7)],
      [
        [6, 4],
        [6, 4],
        [6, 2, 3],
      ],
    );
  });

  it('passes the layer checklist (CGC: one level, three tasks)', () => {
    runLayerChecklist(
      () =>
        new ProgressiveLayeredExtraction({ tasks: ['a', 'b', 'c'], levels: 1, sharedExperts: 2, taskExperts: 1, expert: { units: [3] } }),
      [randomInput(4, 5)],
      [
        [4, 3],
        [4, 3],
        [4, 3],
        [4, 3, 3],
      ],
    );
  });

  it('CGC: task t mixes its own and the shared experts only (weights set by hand)', () => {
    // Two tasks, one own expert each, one shared expert; linear experts of width 1 over x = (1, 1).
    const ple = new ProgressiveLayeredExtraction({
      tasks: ['a', 'b'],
      levels: 1,
      sharedExperts: 1,
      taskExperts: 1,
      expert: { units: [1], activation: 'linear' },
    });
    const x = tf.tensor2d([[1, 1]]);
    ple.apply(x);
    // Experts in order a, b, shared: outputs 1, 10, 100.
    const experts = [
      tf.tensor2d([
        [0.5, 5, 50],
        [0.5, 5, 50],
      ]),
      tf.tensor1d([0, 0, 0]),
    ];
    // Gate a: logits (0, ln 3) → (1/4, 3/4) over (a, shared); gate b: (ln 4, 0) → (4/5, 1/5) over (b, shared).
    const gateA = [tf.zeros([2, 2]), tf.tensor1d([0, Math.log(3)])];
    const gateB = [tf.zeros([2, 2]), tf.tensor1d([Math.log(4), 0])];
    ple.setWeights([...experts, ...gateA, ...gateB]);
    const [a, b, gates] = ple.apply(x) as tf.Tensor[];
    expect(values(a!)[0]).toBeCloseTo(0.25 * 1 + 0.75 * 100, 4);
    expect(values(b!)[0]).toBeCloseTo(0.8 * 10 + 0.2 * 100, 4);
    values(gates!).forEach((g, i) => expect(g).toBeCloseTo([0.25, 0.75, 0.8, 0.2][i]!, 6));
  });

  it("two levels: the second level reads the first level's task and shared outputs", () => {
    const ple = new ProgressiveLayeredExtraction({
      tasks: ['a', 'b'],
      levels: 2,
      sharedExperts: 1,
      taskExperts: 1,
      expert: { units: [1], activation: 'linear' },
    });
    const x = tf.tensor2d([[1, 1]]);
    ple.apply(x);
    const zeros = (shape: number[]) => tf.zeros(shape);
    // Level 0: experts a, b, shared → 1, 2, 4; gates uniform: a0 = (1 + 4) / 2, b0 = (2 + 4) / 2, shared0 = (1 + 2 + 4) / 3.
    // Level 1 (width-1 inputs): expert j = 10^j · its group's input; uniform gates.
    ple.setWeights([
      tf.tensor2d([
        [0.5, 1, 2],
        [0.5, 1, 2],
      ]),
      zeros([3]),
      zeros([2, 2]),
      zeros([2]),
      zeros([2, 2]),
      zeros([2]),
      zeros([2, 3]),
      zeros([3]),
      tf.tensor2d([[1, 10, 100]]),
      zeros([3]),
      zeros([1, 2]),
      zeros([2]),
      zeros([1, 2]),
      zeros([2]),
    ]);
    const [a, b] = ple.apply(x) as tf.Tensor[];
    const [a0, b0, s0] = [2.5, 3, 7 / 3];
    expect(values(a!)[0]).toBeCloseTo((1 * a0 + 100 * s0) / 2, 4);
    expect(values(b!)[0]).toBeCloseTo((10 * b0 + 100 * s0) / 2, 4);
  });

  it('passes the layer checklist with its own expert units per level (levelUnits)', () => {
    runLayerChecklist(
      () =>
        new ProgressiveLayeredExtraction({
          tasks: ['a', 'b'],
          sharedExperts: 2,
          taskExperts: 1,
          expert: { units: [64], activation: 'elu' },
          levelUnits: [[6, 5], [3]],
          seed: 2,
        }),
      [randomInput(6, 7)],
      [
        [6, 3],
        [6, 3],
        [6, 2, 3],
      ],
    );
  });

  it('levelUnits: each level its own expert widths, the levels its length; equal lists are the same model as expert.units', () => {
    const tapered = new ProgressiveLayeredExtraction({ tasks: ['a', 'b'], taskExperts: 1, sharedExperts: 2, levelUnits: [[8], [4], [2]] });
    expect(tapered.levels).toBe(3);
    tapered.apply(tf.zeros([2, 5]));
    // Level l's first expert kernel is [input width, 4 experts · units]: 5 → 8, 8 → 4, 4 → 2.
    const kernels = tapered.weights.filter((w) => /level\d\/expert0\/kernel/.test(w.originalName)).map((w) => w.shape);
    expect(kernels).toEqual([
      [5, 32],
      [8, 16],
      [4, 8],
    ]);
    expect(tapered.getConfig().levelUnits).toEqual([[8], [4], [2]]);
    expect(new ProgressiveLayeredExtraction({ tasks: ['a'] }).getConfig()).not.toHaveProperty('levelUnits');

    const x = randomInput(3, 5);
    const uniform = new ProgressiveLayeredExtraction({ tasks: ['a', 'b'], expert: { units: [4, 3] }, seed: 5 });
    const perLevel = new ProgressiveLayeredExtraction({
      tasks: ['a', 'b'],
      expert: { units: [9] },
      levelUnits: [
        [4, 3],
        [4, 3],
      ],
      seed: 5,
    });
    const [u, p] = [uniform.apply(x) as tf.Tensor[], perLevel.apply(x) as tf.Tensor[]];
    u.forEach((t, i) => expect(values(p[i]!)).toEqual(values(t)));
  });

  it('rejects bad options naming them', () => {
    expect(() => new ProgressiveLayeredExtraction({ tasks: ['a'], levels: 3, levelUnits: [[4], [2]] })).toThrow(
      /ple.levelUnits: 2 units lists for levels = 3/,
    );
    expect(() => new ProgressiveLayeredExtraction({ tasks: ['a'], levelUnits: [] })).toThrow(/ple.levelUnits/);
    expect(() => new ProgressiveLayeredExtraction({ tasks: ['a'], levelUnits: [4, 2] as unknown as number[][] })).toThrow(/ple.levelUnits/);
    expect(() => new ProgressiveLayeredExtraction({ tasks: ['a'], levelUnits: [[4], [0]] })).toThrow(/ple.levelUnits\[1\].units/);
    expect(() => new ProgressiveLayeredExtraction({ tasks: ['a'], levels: 0 })).toThrow(/ple.levels/);
    expect(() => new ProgressiveLayeredExtraction({ tasks: ['a'], sharedExperts: 1.5 })).toThrow(/ple.sharedExperts/);
    expect(() => new ProgressiveLayeredExtraction({ tasks: ['a'], gateTemperature: -1 })).toThrow(/ple.gateTemperature/);
  });
});
