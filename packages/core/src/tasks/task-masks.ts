import * as tf from '@tensorflow/tfjs-core';
import type { ResolvedTaskSpec } from './task-spec.js';

/**
 * Per-task labels and sample-space masks from a batch's raw labels (NaN = missing):
 * mask = label present AND (no parent OR parent's label is 1). Computed on the host, once per batch,
 * so the training step receives ready tensors.
 */
export function taskLabelsAndMasks(
  tasks: readonly ResolvedTaskSpec[],
  rawLabels: Readonly<Record<string, Float32Array>>,
  rows: number,
): {
  /** Per task name: the label per row, 0 where missing. */
  labels: Record<string, Float32Array>;
  /** Per task name: 1 where the row counts for the task (label present and in its sample space), else 0. */
  masks: Record<string, Float32Array>;
} {
  const labels: Record<string, Float32Array> = {};
  const masks: Record<string, Float32Array> = {};
  const byName = new Map(tasks.map((t) => [t.name, t]));
  for (const task of tasks) {
    const raw = rawLabels[task.label];
    const label = new Float32Array(rows);
    const mask = new Float32Array(rows);
    if (raw) {
      for (let i = 0; i < rows; i++) {
        const v = raw[i]!;
        if (!Number.isNaN(v)) {
          label[i] = v;
          mask[i] = 1;
        }
      }
    }
    labels[task.name] = label;
    masks[task.name] = mask;
  }
  // Parents may themselves have parents: apply in dependency order by walking up each chain.
  for (const task of tasks) {
    const mask = masks[task.name]!;
    for (let parent = task.parent; parent; parent = byName.get(parent)?.parent) {
      const parentLabel = labels[parent]!;
      const parentMask = masks[parent]!;
      for (let i = 0; i < rows; i++) if (!(parentMask[i] === 1 && parentLabel[i] === 1)) mask[i] = 0;
    }
  }
  return { labels, masks };
}

/** The same as tensors, `[batch]` each. Caller disposes. */
export function toLabelTensors(values: Record<string, Float32Array>): Record<string, tf.Tensor1D> {
  const out: Record<string, tf.Tensor1D> = {};
  for (const [k, v] of Object.entries(values)) out[k] = tf.tensor1d(v, 'float32');
  return out;
}
