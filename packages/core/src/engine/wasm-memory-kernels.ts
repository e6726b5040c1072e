/**
 * Memory-bound wasm kernels that tfjs-backend-wasm 4.22 runs far slower than a plain copy, rewritten as loops
 * over the wasm heap. Measured on the reference MMoE (batch 2048), per training step:
 * - `Identity` copies its input; the engine runs it on every input a kernel saves for its gradient (hundreds of
 *   calls a step, 15 ms). It now shares the data and counts a reference, as the cpu backend does. So does a
 *   `Cast` to the dtype the tensor already has (the relu gradient casts its float32 mask: 2.4 ms a step).
 * - `Unpack` (the gradient of `stack`) of `[2048, 4, 128]` along axis 1 took 48 ms through the generic
 *   strided slice; it is now one contiguous copy per (outer index, output), about 1 ms.
 * - `SplitV` (the gradient of `concat`; EKTM's blocks concatenate representations) went through the same slow
 *   slice: 15 ms for a `[2048, 256]` split in two; now contiguous copies.
 * - `Sum` over leading or middle axes (every bias gradient sums `[2048, units]` over axis 0) transposed the
 *   input first: 32 ms a step; it is now one pass adding rows in order, in float64. Small tensors are summed
 *   that way over any axes, which spares them XNNPACK's thread-pool wake-up.
 * - `GatherV2` along axis 0 (the embedding lookup, `[200000, 8]` by 40,960 ids): 25 ms; now a row copy, <5 ms
 *   (bound by cache misses on the table).
 * Anything else (other dtypes, other axes, batch dims) goes to the shipped kernel.
 */
import { util } from '@tensorflow/tfjs-core';
import { backend_util } from '@tensorflow/tfjs-core';
import { SMALL_ELEMENTWISE_MAX } from './wasm-small-elementwise-kernels.js';
import type {
  CastAttrs,
  DataType,
  GatherV2Attrs,
  SplitVAttrs,
  KernelBackend,
  KernelConfig,
  KernelFunc,
  SumAttrs,
  TensorInfo,
  UnpackAttrs,
} from '@tensorflow/tfjs-core';

/** The part of tfjs-backend-wasm's `BackendWasm` these kernels use. */
interface WasmBackendLike extends KernelBackend {
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
  incRef(dataId: object): void;
}

type Numeric = Float32Array | Int32Array;

function isNumeric(dtype: DataType): boolean {
  return dtype === 'float32' || dtype === 'int32';
}

/** An output that shares the input's data (reference-counted), as the cpu backend's `Identity` does. */
function shareData(backend: WasmBackendLike, x: TensorInfo): TensorInfo {
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
}

/** `Identity` without a copy: the output shares the input's data (reference-counted). */
export function wasmIdentityConfig(shipped: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = ({ inputs, backend, attrs }) => {
    const { x } = inputs as { x: TensorInfo };
    if (x.dtype === 'string') return shipped.kernelFunc({ inputs, backend, attrs });
    return shareData(backend as WasmBackendLike, x);
  };
  return { ...shipped, kernelFunc };
}

/**
 * `Cast` to the same dtype without a copy, and to `bool` as `x ≠ 0` (the shipped kernel stores the low byte:
 * −2 became 254 and 256 became false); any other cast goes to the shipped kernel.
 */
export function wasmCastConfig(shipped: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = ({ inputs, backend: anyBackend, attrs }) => {
    const { x } = inputs as { x: TensorInfo };
    const { dtype } = attrs as unknown as CastAttrs;
    const backend = anyBackend as WasmBackendLike;
    if (x.dtype !== 'string' && x.dtype === dtype) return shareData(backend, x);
    if (dtype === 'bool' && isNumeric(x.dtype)) {
      const out = backend.makeOutput(x.shape, 'bool');
      const outVals = backend.typedArrayFromHeap(out);
      const xVals = backend.typedArrayFromHeap(x);
      for (let i = 0; i < outVals.length; i++) outVals[i] = xVals[i] !== 0 ? 1 : 0;
      return out;
    }
    return shipped.kernelFunc({ inputs, backend: anyBackend, attrs });
  };
  return { ...shipped, kernelFunc };
}

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
    const backend = anyBackend as WasmBackendLike;
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
    // where it pays for waking XNNPACK's thread pool (see wasm-small-elementwise-kernels.ts).
    const innermost = axes[axes.length - 1] === rank - 1;
    const small = util.sizeFromShape(x.shape) <= SMALL_ELEMENTWISE_MAX;
    if (!isNumeric(x.dtype) || !adjacent || (innermost && !small)) return shipped.kernelFunc({ inputs, backend: anyBackend, attrs });
    const backend = anyBackend as WasmBackendLike;
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

/** Copies rows `indices` of `x` (`rowSize` values each, `rows` rows) into `out`. Exported for tests. */
export function gatherRowsInto(out: Numeric, x: Numeric, indices: Int32Array, rowSize: number, rows: number): void {
  for (let i = 0; i < indices.length; i++) {
    const index = indices[i]!;
    if (index < 0 || index >= rows) throw new Error(`GatherV2: the index value ${index} is not in [0, ${rows - 1}]`);
    const from = index * rowSize;
    const to = i * rowSize;
    for (let j = 0; j < rowSize; j++) out[to + j] = x[from + j]!;
  }
}

/** `GatherV2` along axis 0 (no batch dims) as a row copy. */
export function wasmGatherV2Config(shipped: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = ({ inputs, backend: anyBackend, attrs }) => {
    const { x, indices } = inputs as { x: TensorInfo; indices: TensorInfo };
    const { axis, batchDims } = attrs as unknown as GatherV2Attrs;
    const parsedAxis = x.shape.length > 0 ? util.parseAxisParam(axis, x.shape)[0] : -1;
    if (parsedAxis !== 0 || (batchDims ?? 0) !== 0 || !isNumeric(x.dtype) || indices.dtype !== 'int32') {
      return shipped.kernelFunc({ inputs, backend: anyBackend, attrs });
    }
    const backend = anyBackend as WasmBackendLike;
    const rowSize = util.sizeFromShape(x.shape.slice(1));
    const out = backend.makeOutput([...indices.shape, ...x.shape.slice(1)], x.dtype);
    if (util.sizeFromShape(out.shape) > 0) {
      try {
        gatherRowsInto(
          backend.typedArrayFromHeap(out) as Numeric,
          backend.typedArrayFromHeap(x) as Numeric,
          backend.typedArrayFromHeap(indices) as Int32Array,
          rowSize,
          x.shape[0]!,
        );
      } catch (error) {
        backend.disposeData(out.dataId);
        throw error;
      }
    }
    return out;
  };
  return { ...shipped, kernelFunc };
}

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
    const backend = anyBackend as WasmBackendLike;
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
