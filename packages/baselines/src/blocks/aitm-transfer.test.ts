import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { AitmTransfer } from './aitm-transfer.js';
import { aitmCalibratorLoss } from '../losses/aitm-calibrator.js';
import { getLossKind } from '@ektm/core';
import { randomInput, values, runLayerChecklist } from '@ektm/testing';

/** Plain-arithmetic AITM step for d = 2: z = Σ_u softmax(⟨Q u, K u⟩ / √2) · V u over u ∈ {own, relu(W prev + b)}. */
function referenceStep(
  own: number[],
  previous: number[],
  m: { info: number[][]; bias: number[]; q: number[][]; k: number[][]; v: number[][] },
) {
  const times = (x: number[], w: number[][]) => [0, 1].map((j) => x[0]! * w[0]![j]! + x[1]! * w[1]![j]!);
  const info = times(previous, m.info).map((v, j) => Math.max(0, v + m.bias[j]!));
  const items = [own, info];
  const scores = items.map((u) => {
    const [q, k] = [times(u, m.q), times(u, m.k)];
    return (q[0]! * k[0]! + q[1]! * k[1]!) / Math.sqrt(2);
  });
  const top = Math.max(...scores);
  const exp = scores.map((s) => Math.exp(s - top));
  const weights = exp.map((e) => e / (exp[0]! + exp[1]!));
  const vs = items.map((u) => times(u, m.v));
  return { z: [0, 1].map((j) => weights[0]! * vs[0]![j]! + weights[1]! * vs[1]![j]!), weights };
}

describe('AitmTransfer', () => {
  it('passes the layer checklist', () => {
    runLayerChecklist(
      () => new AitmTransfer({ chain: ['click', 'cart', 'buy'], dropout: 0.1, seed: 5 }),
      [randomInput(4, 3, 1), randomInput(4, 3, 2), randomInput(4, 3, 3)],
      [
        [4, 3],
        [4, 3],
        [4, 3],
        [4, 2, 2],
      ],
    );
  });

  it('computes the transfer and the attention exactly (weights set by hand)', () => {
    const block = new AitmTransfer({ chain: ['click', 'buy', 'repeat'] });
    const rows = { click: [[0.5, -1]], buy: [[1, 2]], repeat: [[-0.5, 0.25]] };
    const inputs = [tf.tensor2d(rows.click), tf.tensor2d(rows.buy), tf.tensor2d(rows.repeat)];
    block.apply(inputs);
    const m1 = {
      info: [
        [1, 0.5],
        [-0.5, 2],
      ],
      bias: [0.1, 0.2],
      q: [
        [1, 0],
        [0, 0.5],
      ],
      k: [
        [0.5, 1],
        [1, 0],
      ],
      v: [
        [2, 0],
        [1, 1],
      ],
    };
    const m2 = {
      info: [
        [0.3, 0],
        [0, 0.3],
      ],
      bias: [0, 1],
      q: [
        [0.2, 0.1],
        [0, 1],
      ],
      k: [
        [1, 1],
        [0, 1],
      ],
      v: [
        [1, -1],
        [0.5, 0.5],
      ],
    };
    const weightsOf = (m: typeof m1) => [tf.tensor2d(m.info), tf.tensor1d(m.bias), tf.tensor2d(m.q), tf.tensor2d(m.k), tf.tensor2d(m.v)];
    block.setWeights([...weightsOf(m1), ...weightsOf(m2)]);
    const [click, buy, repeat, attention] = block.apply(inputs) as tf.Tensor[];
    const step1 = referenceStep(rows.buy[0]!, rows.click[0]!, m1);
    const step2 = referenceStep(rows.repeat[0]!, step1.z, m2);
    expect(values(click!)).toEqual(rows.click[0]);
    values(buy!).forEach((v, i) => expect(v).toBeCloseTo(step1.z[i]!, 5));
    values(repeat!).forEach((v, i) => expect(v).toBeCloseTo(step2.z[i]!, 5));
    values(attention!).forEach((v, i) => expect(v).toBeCloseTo([...step1.weights, ...step2.weights][i]!, 5));
  });

  it('contributes the calibrator between consecutive tasks, or none with weight 0', () => {
    const block = new AitmTransfer({ chain: ['click', 'buy', 'repeat'] });
    expect(block.lossTerms()).toEqual([
      { name: 'buy/calibrator', kind: 'aitm-calibrator', outputs: ['prob:click', 'prob:buy'], task: 'buy', weight: 0.6, role: 'auxiliary' },
      {
        name: 'repeat/calibrator',
        kind: 'aitm-calibrator',
        outputs: ['prob:buy', 'prob:repeat'],
        task: 'repeat',
        weight: 0.6,
        role: 'auxiliary',
      },
    ]);
    expect(new AitmTransfer({ chain: ['a', 'b'], calibratorWeight: 0 }).lossTerms()).toEqual([]);
  });

  it('calibrator = mean over all rows of max(p_k − p_{k−1}, 0) (by hand)', () => {
    const previous = tf.tensor2d([[0.5], [0.2], [0.9], [0.1]]);
    const current = tf.tensor2d([[0.4], [0.5], [0.95], [0.1]]);
    expect(aitmCalibratorLoss(previous, current).dataSync()[0]).toBeCloseTo((0 + 0.3 + 0.05 + 0) / 4, 6);
    const viaKind = getLossKind('aitm-calibrator')({
      outputs: [previous, current],
      label: tf.zeros([4]),
      mask: tf.zeros([4]),
      labels: {},
      masks: {},
      options: {},
    });
    expect(viaKind.dataSync()[0]).toBeCloseTo(0.0875, 6);
  });

  it('rejects bad options naming them', () => {
    expect(() => new AitmTransfer({ chain: ['a'] })).toThrow(/aitm.chain/);
    expect(() => new AitmTransfer({ chain: ['a', 'b'], calibratorWeight: -1 })).toThrow(/aitm.calibratorWeight/);
    expect(() => new AitmTransfer({ chain: ['a', 'b'], dropout: 1 })).toThrow(/aitm.dropout/);
    const block = new AitmTransfer({ chain: ['a', 'b'] });
    expect(() => block.apply([randomInput(2, 3), randomInput(2, 4)])).toThrow(/one width/);
  });
});
