import * as tf from '@tensorflow/tfjs-core';
import { ConfigError } from '../errors/config-error.js';
import { ModelFileError } from '../errors/model-file-error.js';

/** Shape and dtype of one tensor in a binary file, in file order. */
export interface TensorEntry {
  shape: number[];
  dtype: 'float32' | 'int32' | 'bool';
}

const BYTES_PER_ELEMENT: Record<TensorEntry['dtype'], number> = { float32: 4, int32: 4, bool: 1 };

/** Bytes a tensor of this entry takes in a file. */
function entryByteLength(entry: TensorEntry): number {
  return entry.shape.reduce((a, b) => a * b, 1) * BYTES_PER_ELEMENT[entry.dtype];
}

/**
 * Tensors as one contiguous little-endian byte array (the layout of a tfjs weights file), with their entries.
 * `what` names the group in errors (a string tensor cannot be stored).
 */
export async function encodeTensors(tensors: readonly tf.Tensor[], what: string): Promise<{ data: Uint8Array; entries: TensorEntry[] }> {
  const entries = tensors.map((t, i): TensorEntry => {
    if (!(t instanceof tf.Tensor) || t.isDisposed) throw new ConfigError(`${what}[${i}]: not a live tensor`, `${what}[${i}]`);
    if (t.dtype !== 'float32' && t.dtype !== 'int32' && t.dtype !== 'bool')
      throw new ConfigError(`${what}[${i}]: dtype ${t.dtype} cannot be stored`, `${what}[${i}]`);
    return { shape: [...t.shape], dtype: t.dtype };
  });
  const data = new Uint8Array(entries.reduce((sum, e) => sum + entryByteLength(e), 0));
  let offset = 0;
  for (const [i, t] of tensors.entries()) {
    const values = await t.data();
    const bytes =
      t.dtype === 'bool' ? Uint8Array.from(values as Uint8Array) : new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
    data.set(bytes, offset);
    offset += entryByteLength(entries[i]!);
  }
  return { data, entries };
}

/** Tensors back from {@link encodeTensors}' bytes; throws naming `file` when the sizes disagree. */
export function decodeTensors(data: Uint8Array, entries: readonly TensorEntry[], file: string): tf.Tensor[] {
  const expected = entries.reduce((sum, e) => sum + entryByteLength(e), 0);
  if (expected !== data.byteLength)
    throw new ModelFileError(`${file}: holds ${data.byteLength} bytes, its manifest describes ${expected}`, file);
  let offset = 0;
  return entries.map((entry) => {
    const length = entryByteLength(entry);
    const slice = data.slice(offset, offset + length);
    offset += length;
    const values =
      entry.dtype === 'float32' ? new Float32Array(slice.buffer) : entry.dtype === 'int32' ? new Int32Array(slice.buffer) : slice;
    return tf.tensor(values, entry.shape, entry.dtype);
  });
}

/** Whether `value` is a valid {@link TensorEntry}. */
export function isTensorEntry(value: unknown): value is TensorEntry {
  const e = value as TensorEntry;
  return (
    e !== null &&
    typeof e === 'object' &&
    Array.isArray(e.shape) &&
    e.shape.every((d) => Number.isInteger(d) && d >= 0) &&
    (e.dtype === 'float32' || e.dtype === 'int32' || e.dtype === 'bool')
  );
}

/** One byte array holding `parts` in order. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}
