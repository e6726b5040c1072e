import * as tf from '@tensorflow/tfjs-core';

/** The identity in the forward pass and a zero gradient in the backward pass (tfjs-core has no such op). */
export function stopGradient<T extends tf.Tensor>(x: T): T {
  const op = tf.customGrad(((input: tf.Tensor) => ({
    value: tf.clone(input),
    gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
  })) as unknown as Parameters<typeof tf.customGrad>[0]);
  return op(x) as T;
}
