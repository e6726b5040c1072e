/**
 * `Unpack` (the gradient of `stack`) on the wasm backend as contiguous copies: `[2048, 4, 128]` along axis 1 took
 * 48 ms through the shipped generic strided slice, about 1 ms as one copy per (outer index, output).
 */
import { util } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo, UnpackAttrs } from '@tensorflow/tfjs-core';
import { isNumeric, type HeapBackend, type Numeric } from './wasm-kernel-calls.js';

/**
 * Copies slice `k` of axis `axis` out of `x` viewed as `[outer, count, inner]` into `out` (`[outer, inner]`).
 * Exported for tests.
 */
export function unstackInto(out: Numeric, x: Numeric, outer: number, count: number, inner: number, k: number): void {
  if (inner >= 16) {
    for (let o = 0; o < outer; o++) {
      const from = (o * count + k) * inner;
      out.set(x.subarray(from, from + inner), o * inner);
    }
    return;
  }
  for (let o = 0; o < outer; o++) {
    const from = (o * count + k) * inner;
    const to = o * inner;
    for (let i = 0; i < inner; i++) out[to + i] = x[from + i]!;
  }
}

/** `Unpack` as contiguous copies. */
export function wasmUnpackConfig(shipped: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = ({ inputs, backend: anyBackend, attrs }) => {
    const { value } = inputs as { value: TensorInfo };
    if (!isNumeric(value.dtype)) return shipped.kernelFunc({ inputs, backend: anyBackend, attrs });
    const backend = anyBackend as HeapBackend;
    const rank = value.shape.length;
    const axis = util.parseAxisParam((attrs as unknown as UnpackAttrs).axis, value.shape)[0]!;
    const count = value.shape[axis]!;
    const outer = util.sizeFromShape(value.shape.slice(0, axis));
    const inner = util.sizeFromShape(value.shape.slice(axis + 1));
    const outShape = value.shape.filter((_, i) => i !== axis);
    // Allocate every output before taking heap views: an allocation can grow (and detach) the heap.
    const outs = Array.from({ length: count }, () => backend.makeOutput(outShape, value.dtype));
    if (outer * inner > 0 && rank > 0) {
      const x = backend.typedArrayFromHeap(value) as Numeric;
      outs.forEach((out, k) => unstackInto(backend.typedArrayFromHeap(out) as Numeric, x, outer, count, inner, k));
    }
    return outs;
  };
  return { ...shipped, kernelFunc };
}
