/**
 * `Sum` on the wasm backend over leading or middle axes without a transpose: every bias gradient sums
 * `[2048, units]` over axis 0, and the shipped kernel transposed the input first (32 ms a training step of the
 * reference MMoE). It is now one pass adding rows in order, in float64. Small tensors are summed that way over
 * any axes, which spares them XNNPACK's thread-pool wake-up.
 */
import { util } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, SumAttrs, TensorInfo } from '@tensorflow/tfjs-core';
import { SMALL_ELEMENTWISE_MAX } from './small-elementwise.js';
import { isNumeric, type HeapBackend, type Numeric } from './wasm-kernel-calls.js';

/**
 * Sums `x` viewed as `[outer, reduce, inner]` over the middle axis into `out` (`[outer, inner]`), adding rows in
 * order with a float64 accumulator. Exported for tests.
 */
export function sumMiddleInto(out: Numeric, x: Numeric, outer: number, reduce: number, inner: number): void {
  const acc = new Float64Array(inner);
  for (let o = 0; o < outer; o++) {
    acc.fill(0);
    const base = o * reduce * inner;
    for (let r = 0; r < reduce; r++) {
      const row = base + r * inner;
      for (let i = 0; i < inner; i++) acc[i]! += x[row + i]!;
    }
    const to = o * inner;
    for (let i = 0; i < inner; i++) out[to + i] = acc[i]!;
  }
}

/** `Sum` over a run of adjacent axes that does not end at the last axis, without a transpose. */
export function wasmSumConfig(shipped: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = ({ inputs, backend: anyBackend, attrs }) => {
    const { x } = inputs as { x: TensorInfo };
    const { axis, keepDims } = attrs as unknown as SumAttrs;
    const rank = x.shape.length;
    const axes = util.parseAxisParam(axis, x.shape).sort((a, b) => a - b);
    const adjacent = axes.length > 0 && axes.every((a, i) => i === 0 || a === axes[i - 1]! + 1);
    // Innermost reductions are contiguous already and the shipped kernel is fast there, except on small tensors,
    // where it pays for waking XNNPACK's thread pool (see small-elementwise.ts).
    const innermost = axes[axes.length - 1] === rank - 1;
    const small = util.sizeFromShape(x.shape) <= SMALL_ELEMENTWISE_MAX;
    if (!isNumeric(x.dtype) || !adjacent || (innermost && !small)) return shipped.kernelFunc({ inputs, backend: anyBackend, attrs });
    const backend = anyBackend as HeapBackend;
    const first = axes[0]!;
    const last = axes[axes.length - 1]!;
    const outer = util.sizeFromShape(x.shape.slice(0, first));
    const reduce = util.sizeFromShape(x.shape.slice(first, last + 1));
    const inner = util.sizeFromShape(x.shape.slice(last + 1));
    const outShape = keepDims ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : x.shape.filter((_, i) => !axes.includes(i));
    const out = backend.makeOutput(outShape, x.dtype);
    if (outer * inner > 0) {
      const outValues = backend.typedArrayFromHeap(out) as Numeric;
      sumMiddleInto(outValues, backend.typedArrayFromHeap(x) as Numeric, outer, reduce, inner);
    }
    return out;
  };
  return { ...shipped, kernelFunc };
}
