import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { MixtureOfExperts } from './mixture-of-experts.js';
import { randomInput, values, runLayerChecklist } from '@ektm/testing';

describe('MixtureOfExperts', () => {
  it('passes the layer checklist (MMoE)', () => {
    runLayerChecklist(
      () => new MixtureOfExperts({ tasks: ['a', 'b', 'c'], experts: 3, expert: { units: [6, 4] }, seed: 2 }),
      [randomInput(5, 7)],
      [
        [5, 4],
        [5, 4],
        [5, 4],
        [5, 3, 3],
      ],
    );
  });

  it('passes the layer checklist (OMoE, one gate)', () => {
    runLayerChecklist(
      () => new MixtureOfExperts({ tasks: ['a', 'b'], experts: 2, expert: { units: [3] }, gating: 'shared' }),
      [randomInput(4, 5)],
      [
        [4, 3],
        [4, 3],
        [4, 1, 2],
      ],
    );
  });

  it('mixes the experts with each task gate: h_t = Σ_e g_te · f_e(x) (weights set by hand)', () => {
    const moe = new MixtureOfExperts({ tasks: ['a', 'b'], experts: 2, expert: { units: [2], activation: 'linear' }, gateTemperature: 2 });
    const x = tf.tensor2d([[1, 2]]);
    moe.apply(x);
    // Experts: f_0(x) = x · [[1, 0], [0, 1]] = (1, 2); f_1(x) = x · [[2, 0], [0, 3]] + (1, 1) = (3, 7).
    const expertKernel = tf.tensor2d([
      [1, 0, 2, 0],
      [0, 1, 0, 3],
    ]);
    const expertBias = tf.tensor1d([0, 0, 1, 1]);
    // Gate logits (zero kernel): task a (0, 2), task b (4, 0); temperature 2 halves them.
    const gateKernel = tf.zeros([2, 4]);
    const gateBias = tf.tensor1d([0, 2, 4, 0]);
    moe.setWeights([expertKernel, expertBias, gateKernel, gateBias]);
    const [a, b, gates] = moe.apply(x) as tf.Tensor[];
    const ga = [1 / (1 + Math.E), Math.E / (1 + Math.E)];
    const gb = [Math.exp(2) / (1 + Math.exp(2)), 1 / (1 + Math.exp(2))];
    values(gates!).forEach((g, i) => expect(g).toBeCloseTo([...ga, ...gb][i]!, 6));
    values(a!).forEach((v, i) => expect(v).toBeCloseTo(ga[0]! * [1, 2][i]! + ga[1]! * [3, 7][i]!, 5));
    values(b!).forEach((v, i) => expect(v).toBeCloseTo(gb[0]! * [1, 2][i]! + gb[1]! * [3, 7][i]!, 5));
  });

  it('gives every task the same mixture with a shared gate', () => {
    const moe = new MixtureOfExperts({ tasks: ['a', 'b'], experts: 3, gating: 'shared', seed: 4 });
    const [a, b, gates] = moe.apply(randomInput(4, 6)) as tf.Tensor[];
    expect(values(a!)).toEqual(values(b!));
    expect(gates!.shape).toEqual([4, 1, 3]);
  });

  it('rejects bad options naming them', () => {
    expect(() => new MixtureOfExperts({ tasks: [] })).toThrow(/moe.tasks/);
    expect(() => new MixtureOfExperts({ tasks: ['a'], experts: 0 })).toThrow(/moe.experts/);
    expect(() => new MixtureOfExperts({ tasks: ['a'], gating: 'soft' as never })).toThrow(/moe.gating.*per-task or shared/);
    expect(() => new MixtureOfExperts({ tasks: ['a'], gateTemperature: 0 })).toThrow(/moe.gateTemperature/);
    expect(() => new MixtureOfExperts({ tasks: ['a'], expert: { units: [0] } })).toThrow(/moe.expert.units/);
  });
});
