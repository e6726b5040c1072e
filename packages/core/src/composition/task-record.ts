import type { SymbolicTensor } from '@tensorflow/tfjs-layers';
import type { TaskBlock } from './task-block.js';
import { asArray } from './tfjs-types.js';
import { ConfigError } from '../errors/config-error.js';

/** The per-task representation record while a model is composed: symbolic tensors keyed by record key. */
export type TaskRecord = Readonly<Record<string, SymbolicTensor>>;

/**
 * Applies a block to a record: reads its `inputKeys`, writes its `outputKeys`, and keeps every other entry.
 * This is how blocks compose without knowing about each other.
 */
export function applyBlock(block: TaskBlock, record: TaskRecord): TaskRecord {
  const inputs = block.inputKeys.map((key) => {
    const value = record[key];
    if (!value) {
      throw new ConfigError(`${block.name} reads "${key}", which no earlier block produced; available: ${Object.keys(record).join(', ')}`);
    }
    return value;
  });
  const outputs = asArray(block.apply(inputs.length === 1 ? inputs[0]! : inputs) as SymbolicTensor | SymbolicTensor[]);
  if (outputs.length !== block.outputKeys.length) {
    // Internal invariant: a block returns one tensor per output key; a mismatch is a bug in the block's call().
    throw new Error(`${block.name} returned ${outputs.length} outputs for ${block.outputKeys.length} output keys`);
  }
  const next: Record<string, SymbolicTensor> = { ...record };
  block.outputKeys.forEach((key, i) => (next[key] = outputs[i]!));
  return next;
}
