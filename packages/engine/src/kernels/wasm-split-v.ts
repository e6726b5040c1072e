/**
 * `SplitV` (the gradient of `concat`; EKTM's blocks concatenate representations) on the wasm backend as contiguous
 * copies: the shipped generic strided slice took 15 ms for a `[2048, 256]` split in two.
 */
import { backend_util, util } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, SplitVAttrs, TensorInfo } from '@tensorflow/tfjs-core';
import { isNumeric, type HeapBackend, type Numeric } from './wasm-kernel-calls.js';

/**
 * Copies `x` viewed as `[outer, count, inner]`, positions `[begin, begin + size)` of the middle axis, into `out`
 * (`[outer, size, inner]`). Exported for tests.
 */
export function copyAxisRangeInto(
  out: Numeric,
  x: Numeric,
  outer: number,
  count: number,
  inner: number,
  begin: number,
  size: number,
): void {
  const run = size * inner;
  for (let o = 0; o < outer; o++) {
    const from = (o * count + begin) * inner;
    const to = o * run;
    if (run >= 16) out.set(x.subarray(from, from + run), to);
    else for (let i = 0; i < run; i++) out[to + i] = x[from + i]!;
  }
}

/** `SplitV` as contiguous copies. */
export function wasmSplitVConfig(shipped: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = ({ inputs, backend: anyBackend, attrs }) => {
    const { x } = inputs as { x: TensorInfo };
    if (!isNumeric(x.dtype) || x.shape.length === 0) return shipped.kernelFunc({ inputs, backend: anyBackend, attrs });
    const backend = anyBackend as HeapBackend;
    const { numOrSizeSplits, axis } = attrs as unknown as SplitVAttrs;
    const parsedAxis = util.parseAxisParam(axis, x.shape)[0]!;
    const sizes = backend_util.prepareSplitSize(x, numOrSizeSplits, parsedAxis);
    const count = x.shape[parsedAxis]!;
    const outer = util.sizeFromShape(x.shape.slice(0, parsedAxis));
    const inner = util.sizeFromShape(x.shape.slice(parsedAxis + 1));
    const outs = sizes.map((size) =>
      backend.makeOutput(
        x.shape.map((d, i) => (i === parsedAxis ? size : d)),
        x.dtype,
      ),
    );
    if (outer * inner > 0) {
      const values = backend.typedArrayFromHeap(x) as Numeric;
      let begin = 0;
      outs.forEach((out, k) => {
        copyAxisRangeInto(backend.typedArrayFromHeap(out) as Numeric, values, outer, count, inner, begin, sizes[k]!);
        begin += sizes[k]!;
      });
    }
    return outs;
  };
  return { ...shipped, kernelFunc };
}
