import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { ProductHead } from '../index.js';

describe('ProductHead', () => {
  it('multiplies its factors exactly (two or three) and reads prob:<factor>', () => {
    const head = new ProductHead({ task: 'ctcvr', factors: ['click', 'cvr'] });
    expect(head.inputKeys).toEqual(['prob:click', 'prob:cvr']);
    expect(head.outputKeys).toEqual(['prob:ctcvr']);
    expect(
      head.computeOutputShape([
        [null, 1],
        [null, 1],
      ]),
    ).toEqual([null, 1]);
    const a = tf.tensor2d([[0.5], [0.25], [0.9]]);
    const b = tf.tensor2d([[0.5], [0.75], [0.1]]);
    const c = tf.tensor2d([[0.2], [1], [0.5]]);
    const before = tf.memory().numTensors;
    const p = head.apply([a, b]) as tf.Tensor;
    expect(Array.from(p.dataSync())).toEqual([0.25, 0.1875, Math.fround(Math.fround(0.9) * Math.fround(0.1))]);
    p.dispose();
    expect(tf.memory().numTensors).toBe(before);
    const triple = new ProductHead({ task: 'x', factors: ['a', 'b', 'c'] });
    const q = triple.apply([a, b, c]) as tf.Tensor;
    const [av, bv, cv] = [a.dataSync(), b.dataSync(), c.dataSync()];
    expect(Array.from(q.dataSync())).toEqual(Array.from(av, (v, i) => Math.fround(Math.fround(v * bv[i]!) * cv[i]!)));
    tf.dispose([a, b, c, q]);
  });

  it('passes gradients to every factor: d(ab)/da = b', () => {
    const head = new ProductHead({ task: 'ab', factors: ['a', 'b'] });
    const a = tf.tensor2d([[0.5], [0.25]]);
    const b = tf.tensor2d([[0.4], [0.8]]);
    const grads = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(head.apply([x, y]) as tf.Tensor))([a, b]);
    expect(Array.from(grads[0]!.dataSync())).toEqual(Array.from(b.dataSync()));
    expect(Array.from(grads[1]!.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([a, b, ...grads]);
  });

  it('config round trip', () => {
    const head = new ProductHead({ task: 'ctcvr', factors: ['click', 'cvr'], name: 'product' });
    const copy = ProductHead.fromConfig(ProductHead, head.getConfig()) as ProductHead;
    expect(copy.getConfig()).toEqual(head.getConfig());
    expect(copy.factors).toEqual(['click', 'cvr']);
    expect(() => new ProductHead({ task: 'x', factors: [] })).toThrow(/inputKeys must be a non-empty array/);
  });
});
