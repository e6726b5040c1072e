/**
 * `UnsortedSegmentSum` in one pass over the input: the sum and the checks shared by the wasm kernel
 * (`wasm-unsorted-segment-sum.ts`) and the pure-JS cpu one (`cpu-unsorted-segment-sum.ts`).
 *
 * It is the gradient of `gather`, so every embedding table needs it to train. tfjs-backend-wasm 4.22 has no
 * such kernel ("Kernel 'UnsortedSegmentSum' not registered for backend 'wasm'"), and the cpu backend's loops
 * over every segment (every vocabulary row) with a mask over the whole input: O(segments × input), about 80 s
 * for one training step at batch 256 with a 10k vocabulary. Adding each input row into its segment's row is
 * O(input + output).
 */
import { util } from '@tensorflow/tfjs-core';
import type { TensorInfo } from '@tensorflow/tfjs-core';

/** The dtypes the sum supports, as typed arrays. */
export type NumericArray = Float32Array | Int32Array;

/**
 * Adds row `i` of `x` (`rowSize` values) into row `segmentIds[i]` of `out`. Ids outside `[0, numSegments)`
 * are dropped, as TensorFlow does. `out` must be zeroed by the caller.
 */
export function segmentSumInto(out: NumericArray, x: NumericArray, segmentIds: Int32Array, rowSize: number, numSegments: number): void {
  for (let i = 0; i < segmentIds.length; i++) {
    const segment = segmentIds[i];
    if (segment < 0 || segment >= numSegments) continue;
    const from = i * rowSize;
    const to = segment * rowSize;
    for (let j = 0; j < rowSize; j++) out[to + j] += x[from + j];
  }
}

/** Checks dtypes and ranks; returns the output shape `[numSegments, ...x.shape after the ids' rank]`. */
export function segmentSumShape(x: TensorInfo, segmentIds: TensorInfo, numSegments: number): number[] {
  if (x.dtype !== 'float32' && x.dtype !== 'int32') {
    // As tfjs's own kernels do: a plain Error for an op called with dtypes it does not support (a programming error).
    throw new Error(`UnsortedSegmentSum: x has dtype ${x.dtype}; only float32 and int32 are supported`);
  }
  if (segmentIds.dtype !== 'int32') throw new Error(`UnsortedSegmentSum: segmentIds must be int32, got ${segmentIds.dtype}`);
  const idsRank = segmentIds.shape.length;
  util.assert(
    segmentIds.shape.every((d, i) => d === x.shape[i]),
    () => `UnsortedSegmentSum: segmentIds shape [${segmentIds.shape}] must be a prefix of x shape [${x.shape}]`,
  );
  util.assert(
    Number.isInteger(numSegments) && numSegments >= 0,
    () => `UnsortedSegmentSum: numSegments ${numSegments} must be an integer >= 0`,
  );
  return [numSegments, ...x.shape.slice(idsRank)];
}
