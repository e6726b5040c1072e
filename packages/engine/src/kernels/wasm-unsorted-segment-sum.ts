/**
 * The `UnsortedSegmentSum` kernel tfjs-backend-wasm 4.22 lacks ("Kernel 'UnsortedSegmentSum' not registered for
 * backend 'wasm'"): the gradient of `gather`, so without it no embedding table trains on wasm.
 */
import { UnsortedSegmentSum, util } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo, UnsortedSegmentSumAttrs } from '@tensorflow/tfjs-core';
import { segmentSumInto, segmentSumShape, type NumericArray } from './segment-sum.js';
import type { HeapBackend } from './wasm-kernel-calls.js';

/** Reads the inputs in place on the wasm heap and writes the output there. */
const wasmUnsortedSegmentSum: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, segmentIds } = inputs as { x: TensorInfo; segmentIds: TensorInfo };
  const { numSegments } = attrs as unknown as UnsortedSegmentSumAttrs;
  const shape = segmentSumShape(x, segmentIds, numSegments);
  const wasm = backend as HeapBackend;
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

/** The missing wasm kernel. */
export const wasmUnsortedSegmentSumConfig: KernelConfig = {
  kernelName: UnsortedSegmentSum,
  backendName: 'wasm',
  kernelFunc: wasmUnsortedSegmentSum,
};
