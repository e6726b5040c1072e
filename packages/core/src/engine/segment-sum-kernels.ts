/**
 * `UnsortedSegmentSum` in one pass over the input, for the wasm and the pure-JS cpu backends.
 *
 * It is the gradient of `gather`, so every embedding table needs it to train. tfjs-backend-wasm 4.22 has no
 * such kernel ("Kernel 'UnsortedSegmentSum' not registered for backend 'wasm'"), and the cpu backend's loops
 * over every segment (every vocabulary row) with a mask over the whole input: O(segments × input), about 80 s
 * for one training step at batch 256 with a 10k vocabulary. Adding each input row into its segment's row is
 * O(input + output).
 */
import { UnsortedSegmentSum, util } from '@tensorflow/tfjs-core';
import type { DataType, KernelBackend, KernelConfig, KernelFunc, TensorInfo, UnsortedSegmentSumAttrs } from '@tensorflow/tfjs-core';

type NumericArray = Float32Array | Int32Array;

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
function outputShape(x: TensorInfo, segmentIds: TensorInfo, numSegments: number): number[] {
  if (x.dtype !== 'float32' && x.dtype !== 'int32') {
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

/** The part of tfjs-backend-wasm's `BackendWasm` this kernel uses. */
interface WasmBackendLike extends KernelBackend {
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
}

/** Reads the inputs in place on the wasm heap and writes the output there. */
const wasmUnsortedSegmentSum: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, segmentIds } = inputs as { x: TensorInfo; segmentIds: TensorInfo };
  const { numSegments } = attrs as unknown as UnsortedSegmentSumAttrs;
  const shape = outputShape(x, segmentIds, numSegments);
  const wasm = backend as WasmBackendLike;
  const out = wasm.makeOutput(shape, x.dtype);
  if (util.sizeFromShape(shape) === 0) return out;
  // Views only after the allocation: growing the heap detaches views taken before.
  const outValues = wasm.typedArrayFromHeap(out) as NumericArray;
  outValues.fill(0);
  const rowSize = util.sizeFromShape(shape.slice(1));
  segmentSumInto(
    outValues,
    wasm.typedArrayFromHeap(x) as NumericArray,
    wasm.typedArrayFromHeap(segmentIds) as Int32Array,
    rowSize,
    numSegments,
  );
  return out;
};

/** Same sum on the cpu backend's JS arrays (readSync returns them without a copy there). */
const cpuUnsortedSegmentSum: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, segmentIds } = inputs as { x: TensorInfo; segmentIds: TensorInfo };
  const { numSegments } = attrs as unknown as UnsortedSegmentSumAttrs;
  const shape = outputShape(x, segmentIds, numSegments);
  const cpu = backend as KernelBackend & { makeTensorInfo(shape: number[], dtype: DataType, values: NumericArray): TensorInfo };
  const outValues = x.dtype === 'int32' ? new Int32Array(util.sizeFromShape(shape)) : new Float32Array(util.sizeFromShape(shape));
  const rowSize = util.sizeFromShape(shape.slice(1));
  segmentSumInto(outValues, cpu.readSync(x.dataId) as NumericArray, cpu.readSync(segmentIds.dataId) as Int32Array, rowSize, numSegments);
  return cpu.makeTensorInfo(shape, x.dtype, outValues);
};

/** The missing wasm kernel. */
export const wasmUnsortedSegmentSumConfig: KernelConfig = {
  kernelName: UnsortedSegmentSum,
  backendName: 'wasm',
  kernelFunc: wasmUnsortedSegmentSum,
};

/** The linear replacement of the cpu backend's kernel. */
export const cpuUnsortedSegmentSumConfig: KernelConfig = {
  kernelName: UnsortedSegmentSum,
  backendName: 'cpu',
  kernelFunc: cpuUnsortedSegmentSum,
};
