/**
 * A linear `UnsortedSegmentSum` for the pure-JS cpu backend, whose own loops over every segment (every vocabulary
 * row) with a mask over the whole input: about 80 s for one training step at batch 256 with a 10k vocabulary.
 */
import { UnsortedSegmentSum, util } from '@tensorflow/tfjs-core';
import type { DataType, KernelBackend, KernelConfig, KernelFunc, TensorInfo, UnsortedSegmentSumAttrs } from '@tensorflow/tfjs-core';
import { segmentSumInto, segmentSumShape, type NumericArray } from './segment-sum.js';

/** Same sum on the cpu backend's JS arrays (readSync returns them without a copy there). */
const cpuUnsortedSegmentSum: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, segmentIds } = inputs as { x: TensorInfo; segmentIds: TensorInfo };
  const { numSegments } = attrs as unknown as UnsortedSegmentSumAttrs;
  const shape = segmentSumShape(x, segmentIds, numSegments);
  const cpu = backend as KernelBackend & { makeTensorInfo(shape: number[], dtype: DataType, values: NumericArray): TensorInfo };
  const outValues = x.dtype === 'int32' ? new Int32Array(util.sizeFromShape(shape)) : new Float32Array(util.sizeFromShape(shape));
  const rowSize = util.sizeFromShape(shape.slice(1));
  segmentSumInto(outValues, cpu.readSync(x.dataId) as NumericArray, cpu.readSync(segmentIds.dataId) as Int32Array, rowSize, numSegments);
  return cpu.makeTensorInfo(shape, x.dtype, outValues);
};

/** The linear replacement of the cpu backend's kernel. */
export const cpuUnsortedSegmentSumConfig: KernelConfig = {
  kernelName: UnsortedSegmentSum,
  backendName: 'cpu',
  kernelFunc: cpuUnsortedSegmentSum,
};
