import * as tf from '@tensorflow/tfjs-core';
import { layers } from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { BatchedExperts, validateExpertOptions } from './batched-experts.js';
import { mixExperts, softmaxGates } from './gating.js';
import { randomInput, values } from '@ektm/testing';

/** A bare layer to own the experts' weights. */
class Owner extends layers.Layer {
  static readonly className = 'TestExpertOwner';
  make(count: number, inputDim: number, units: number[]): BatchedExperts {
    return new BatchedExperts(
      { units },
      (name, shape, init, trainable) => this.addWeight(name, shape, 'float32', init, undefined, trainable),
      'e',
      count,
      inputDim,
      7,
    );
  }
}

describe('BatchedExperts', () => {
  it('computes every expert as its own MLP (shared input and per-expert input agree)', () => {
    const experts = new Owner({}).make(3, 4, [5, 2]);
    const x = randomInput(6, 4);
    const shared = experts.applyShared(x, false);
    expect(shared.shape).toEqual([6, 3, 2]);
    const each = experts.applyEach(tf.stack([x, x, x]) as tf.Tensor3D, false);
    expect(values(each)).toEqual(values(shared));
    // Expert 1 by hand: relu(relu(x W0[:, 5:10] + b0) W1[1] + b1[1]).
    const owner = experts as unknown as { kernels: tf.Variable[]; biases: tf.Variable[] };
    const [k0, k1] = (owner.kernels as unknown as Array<{ read(): tf.Tensor }>).map((v) => v.read());
    const h = tf.relu(tf.matMul(x, tf.slice(k0!, [0, 5], [4, 5]) as tf.Tensor2D));
    const y = tf.relu(tf.matMul(h, tf.squeeze(tf.slice(k1!, [1, 0, 0], [1, 5, 2]), [0]) as tf.Tensor2D));
    const got = values(tf.squeeze(tf.slice(shared, [0, 1, 0], [6, 1, 2]), [1]));
    values(y).forEach((v, i) => expect(got[i]).toBeCloseTo(v, 5));
  });

  it('applyGrouped: a group of experts on its own input equals applyEach with that input per expert', () => {
    const experts = new Owner({}).make(4, 3, [5, 2]);
    const [a, b, c] = [randomInput(6, 3, 1), randomInput(6, 3, 2), randomInput(6, 3, 3)];
    const grouped = experts.applyGrouped([a, b, c], [1, 1, 2], false);
    expect(grouped.shape).toEqual([6, 4, 2]);
    const each = experts.applyEach(tf.stack([a, b, c, c]) as tf.Tensor3D, false);
    values(each).forEach((v, i) => expect(values(grouped)[i]).toBeCloseTo(v, 5));
    expect(() => experts.applyGrouped([a, b], [1, 1], false)).toThrow('2 inputs for groups [1, 1] of 4 experts');
  });

  it('gate mixing is Σ_e g_e · expert_e', () => {
    const logits = tf.tensor2d([[0, Math.log(3), 0, 0]], [1, 4]); // two gates over two experts
    const gates = softmaxGates(logits, 2, 2, 1);
    expect(values(gates)).toEqual([0.25, 0.75, 0.5, 0.5].map((v) => expect.closeTo(v, 6) as unknown as number));
    const experts = tf.tensor3d([
      [
        [1, 2],
        [3, 4],
      ],
    ]);
    expect(values(mixExperts(gates, experts))).toEqual([2.5, 3.5, 2, 3].map((v) => expect.closeTo(v, 6) as unknown as number));
    const hot = softmaxGates(logits, 2, 2, 2); // temperature 2 flattens: softmax([0, ln 3 / 2])
    expect(values(hot)[1]).toBeCloseTo(Math.sqrt(3) / (1 + Math.sqrt(3)), 6);
  });

  it('rejects bad options naming them', () => {
    expect(() => validateExpertOptions({ units: [] }, 'moe.expert')).toThrow(/moe.expert.units/);
    expect(() => validateExpertOptions({ units: [4], dropout: 1 }, 'moe.expert')).toThrow(/moe.expert.dropout/);
    expect(() => validateExpertOptions({ units: [4], normalization: 'batch' } as never, 'x')).toThrow(/unknown option/);
  });
});
