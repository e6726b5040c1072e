import * as tf from '@tensorflow/tfjs-core';
import { ConfigError } from '@ektm/core';

/** Validates a gate temperature; `where` names the option path in the error. */
export function validateTemperature(value: number, where: string): number {
  if (!(Number.isFinite(value) && value > 0)) throw new ConfigError(`${where}: ${value} must be a finite number > 0`, where);
  return value;
}

/**
 * Softmax gate weights from gate logits `[B, G·E]`: `softmax(logits / temperature)` over each gate's E experts;
 * returns `[B, G, E]`. A temperature above 1 flattens the gates (experts are mixed more evenly), below 1
 * sharpens them towards one expert per task.
 */
export function softmaxGates(logits: tf.Tensor, gates: number, experts: number, temperature: number): tf.Tensor3D {
  const scaled = temperature === 1 ? logits : tf.div(logits, temperature);
  return tf.softmax(tf.reshape(scaled, [-1, gates, experts]), -1) as tf.Tensor3D;
}

/** The gated mixtures: `out[b, g] = Σ_e gates[b, g, e] · experts[b, e]`, as one batched matMul; `[B, G, d]`. */
export function mixExperts(gates: tf.Tensor3D, experts: tf.Tensor3D): tf.Tensor3D {
  return tf.matMul(gates, experts);
}

/**
 * `[B, G, d]` → G tensors `[B, d]`. tfjs' Unpack gradient fails for a single output (it receives one tensor,
 * not a list), so one slot is a reshape.
 */
export function unstackSlots(x: tf.Tensor3D): tf.Tensor2D[] {
  if (x.shape[1] === 1) return [tf.reshape(x, [-1, x.shape[2]]) as tf.Tensor2D];
  return tf.unstack(x, 1) as tf.Tensor2D[];
}
