import { layers } from '@tensorflow/tfjs-layers';
import type { Tensor } from '@tensorflow/tfjs-core';

/** Arguments of the tfjs `Layer` constructor (tfjs does not export the type from its package root). */
export type LayerArgs = NonNullable<ConstructorParameters<typeof layers.Layer>[0]>;

/** Keyword arguments tfjs passes to `Layer.call` (`training`, `mask`). */
export type Kwargs = {
  [key: string]: unknown;
  /** True while fitting, so layers such as dropout behave as in training. */
  training?: boolean;
};

/** A tensor shape as tfjs layers use it, `null` for the batch dimension. */
export type Shape = Array<number | null>;

/** A JSON-compatible value allowed in a layer's config. */
export type ConfigValue = number | string | boolean | null | ConfigValue[] | { [key: string]: ConfigValue };

/** The tfjs serialization dictionary returned by `getConfig`. */
export type ConfigDict = { [key: string]: ConfigValue };

/** Normalises tfjs' `Tensor | Tensor[]` inputs to an array. */
export function asArray<T>(value: T | T[]): T[] {
  return Array.isArray(value) ? value : [value];
}

/** A list of tensors or the single one, as tfjs expects a layer's output. */
export function unwrapSingle(values: Tensor[]): Tensor | Tensor[] {
  return values.length === 1 ? values[0]! : values;
}
