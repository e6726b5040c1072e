import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { SingleTaskBackbone } from './single-task-backbone.js';
import { randomInput, values, runLayerChecklist } from '@ektm/testing';

describe('SingleTaskBackbone', () => {
  it('passes the layer checklist', () => {
    runLayerChecklist(
      () => new SingleTaskBackbone({ tasks: ['a', 'b'], bottom: { units: [8, 3] }, seed: 1 }),
      [randomInput(5, 6)],
      [
        [5, 3],
        [5, 3],
      ],
    );
  });

  it('passes the layer checklist with one task', () => {
    runLayerChecklist(() => new SingleTaskBackbone({ tasks: ['a'], bottom: { units: [4] } }), [randomInput(3, 6)], [[3, 4]]);
  });

  it('shares nothing: a task network is x·W_t + b_t with its own weights (set by hand)', () => {
    const block = new SingleTaskBackbone({ tasks: ['a', 'b'], bottom: { units: [1], activation: 'linear' } });
    const x = tf.tensor2d([[1, 2]]);
    block.apply(x);
    block.setWeights([
      tf.tensor2d([
        [1, 10],
        [2, 20],
      ]),
      tf.tensor1d([0.5, -1]),
    ]);
    const [a, b] = block.apply(x) as tf.Tensor[];
    expect(values(a!)).toEqual([5.5]);
    expect(values(b!)).toEqual([49]);
  });

  it('rejects bad options naming them', () => {
    expect(() => new SingleTaskBackbone({ tasks: ['a', 'a'] })).toThrow(/duplicate/);
    expect(() => new SingleTaskBackbone({ tasks: ['a'], bottom: { units: [2], activation: 'tanh' as never } })).toThrow(
      /single-task.bottom.activation/,
    );
  });
});
