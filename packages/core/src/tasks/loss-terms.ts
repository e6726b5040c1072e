import * as tf from '@tensorflow/tfjs-core';
import { ConfigError } from '../errors/config-error.js';

/**
 * One term of a model's loss, as data: which outputs it reads, whose label and sample space it uses, and its
 * weight. Tasks contribute one term each; blocks contribute auxiliary terms (an enhancer's original head,
 * AITM's calibrator). The trainer sums them generically, so no model is a special case inside it.
 */
export interface LossTermSpec {
  /** Display name in logs and progress, unique within a model (e.g. `income`, `income/enhance`). */
  name: string;
  /** Registered kind (`bce`, `mse`, or a kind a package registers with `registerLossKind`). */
  kind: string;
  /** Output keys (`prob:<name>`) the term reads, in the order its kind expects. */
  outputs: string[];
  /** Task whose label and sample-space mask the term uses. */
  task: string;
  /** Weight of the term in the total loss. */
  weight: number;
  /** `task` terms take part in loss-weighting strategies (uncertainty weighting); `auxiliary` terms keep their weight. */
  role: 'task' | 'auxiliary';
  /** Kind-specific options (e.g. a focal gamma). */
  options?: Record<string, number | string | boolean>;
}

/** What a loss kind receives: its outputs, the task's label and mask, and every label and mask of the batch. */
export interface LossContext {
  /** Output tensors, `[batch, 1]` each, in the order of `LossTermSpec.outputs`. */
  outputs: tf.Tensor[];
  /** The task's label, `[batch]`, with missing labels replaced by 0 (the mask is 0 there). */
  label: tf.Tensor1D;
  /** 1 where the row is in the task's sample space and its label is present, else 0; `[batch]`. */
  mask: tf.Tensor1D;
  /** Labels of all tasks keyed by task name (missing replaced by 0). */
  labels: Record<string, tf.Tensor1D>;
  /** Masks of all tasks keyed by task name. */
  masks: Record<string, tf.Tensor1D>;
  /** The term's options. */
  options: Record<string, number | string | boolean>;
}

/** Computes a scalar loss (usually a masked mean) from a context. */
export type LossKind = (context: LossContext) => tf.Scalar;

const kinds = new Map<string, LossKind>();

/** Registers a loss kind under a name; packages call this at import, like `registerClass`. */
export function registerLossKind(kind: string, fn: LossKind): void {
  kinds.set(kind, fn);
}

/** The loss kind registered under `kind`; throws naming the registered kinds when it is unknown. */
export function getLossKind(kind: string): LossKind {
  const fn = kinds.get(kind);
  if (!fn) {
    throw new ConfigError(`unknown loss kind "${kind}"; registered: ${[...kinds.keys()].join(', ')} (import the package that defines it)`);
  }
  return fn;
}

/** Probabilities are clipped to [EPSILON, 1 - EPSILON] before a log, as Keras does. */
export const EPSILON = 1e-7;

/** Per-row binary cross-entropy of probabilities `p` (`[batch]`) against labels `y` (`[batch]`). */
export function binaryCrossEntropy(p: tf.Tensor1D, y: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => {
    const q = tf.clipByValue(p, EPSILON, 1 - EPSILON);
    return tf.neg(tf.add(tf.mul(y, tf.log(q)), tf.mul(tf.sub(1, y), tf.log(tf.sub(1, q))))) as tf.Tensor1D;
  });
}

/** Mean of `values` over the rows where `mask` is 1; 0 when the mask is empty (no gradient, no NaN). */
export function maskedMean(values: tf.Tensor1D, mask: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => tf.div(tf.sum(tf.mul(values, mask)), tf.maximum(tf.sum(mask), 1)) as tf.Scalar);
}

/** `[batch, 1]` → `[batch]`. */
export function column(t: tf.Tensor): tf.Tensor1D {
  return tf.reshape(t, [-1]) as tf.Tensor1D;
}

registerLossKind('bce', ({ outputs, label, mask }) => tf.tidy(() => maskedMean(binaryCrossEntropy(column(outputs[0]!), label), mask)));
registerLossKind('mse', ({ outputs, label, mask }) =>
  tf.tidy(() => maskedMean(tf.square(tf.sub(column(outputs[0]!), label)) as tf.Tensor1D, mask)),
);
