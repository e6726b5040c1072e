import type { MultiTaskModel } from '@ektm/core';

/** Number of trainable values of a model (sum over its trainable weights of the product of their shape). */
export function countParameters(model: MultiTaskModel): number {
  return model.model.trainableWeights.reduce((n, w) => n + w.shape.reduce<number>((a, b) => a * (b ?? 1), 1), 0);
}
