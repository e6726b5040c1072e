/**
 * Element-wise kernels on small float32 tensors as heap loops on the calling thread.
 *
 * With XNNPACK threads on, tfjs-backend-wasm 4.22 hands even a 2048-element `Neg` to the thread pool, and waking
 * the pool costs 0.1–0.3 ms a call: a loss over a few tasks runs dozens of such calls (`Neg`, `ClipByValue`,
 * `Step`, `Square` on `[2048]` or `[2048, 1]`), about 9 ms of an EKTM training step for `Neg` alone. A plain
 * loop over 2048 values takes microseconds. Large tensors, other dtypes and other kernels go to the shipped
 * kernels. The formulas are the cpu backend's (NaN stays NaN). The shipped `ClipByValue` (XNNPACK's clamp)
 * turns NaN into the lower bound, which would hide a diverged model behind clipped, finite losses: its large
 * tensors get NaN put back.
 */
import { ClipByValue, Neg, Square, Step } from '@tensorflow/tfjs-core';
import type { ClipByValueAttrs, DataType, KernelBackend, KernelConfig, KernelFunc, NamedAttrMap, StepAttrs, TensorInfo } from '@tensorflow/tfjs-core';

interface WasmBackendLike extends KernelBackend {
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array;
}

/** Largest tensor run on the calling thread; beyond it XNNPACK's vectorised, threaded kernels win. */
export const SMALL_ELEMENTWISE_MAX = 1 << 14;

/** A value-by-value formula given the kernel's attributes. */
type Formula = (attrs: NamedAttrMap) => (x: number) => number;

/** The kernels handled here and their formulas (the cpu backend's). */
export const SMALL_UNARY_FORMULAS: Readonly<Record<string, Formula>> = {
  [Neg]: () => (x) => -x,
  [Square]: () => (x) => x * x,
  [Step]: (attrs) => {
    const alpha = (attrs as unknown as StepAttrs).alpha;
    return (x) => (Number.isNaN(x) ? NaN : x > 0 ? 1 : alpha);
  },
  [ClipByValue]: (attrs) => {
    const { clipValueMin, clipValueMax } = attrs as unknown as ClipByValueAttrs;
    return (x) => (x > clipValueMax ? clipValueMax : x < clipValueMin ? clipValueMin : x);
  },
};

/** Puts NaN back wherever the input had NaN. */
function keepNaN(out: Float32Array, x: Float32Array): void {
  for (let i = 0; i < x.length; i++) if (Number.isNaN(x[i])) out[i] = NaN;
}

/** Wraps a shipped unary kernel: small float32 inputs run `formula` on the heap, the rest the shipped kernel. */
export function wasmSmallUnaryConfig(shipped: KernelConfig): KernelConfig {
  const formula = SMALL_UNARY_FORMULAS[shipped.kernelName];
  if (formula === undefined) throw new Error(`no small-tensor formula for ${shipped.kernelName}`);
  const kernelFunc: KernelFunc = ({ inputs, backend: anyBackend, attrs }) => {
    const { x } = inputs as { x: TensorInfo };
    const size = x.shape.reduce((a, b) => a * b, 1);
    const backend = anyBackend as WasmBackendLike;
    if (x.dtype !== 'float32') return shipped.kernelFunc({ inputs, backend: anyBackend, attrs });
    if (size > SMALL_ELEMENTWISE_MAX) {
      const out = shipped.kernelFunc({ inputs, backend: anyBackend, attrs }) as TensorInfo;
      if (shipped.kernelName === ClipByValue) keepNaN(backend.typedArrayFromHeap(out), backend.typedArrayFromHeap(x));
      return out;
    }
    const f = formula(attrs ?? {});
    const out = backend.makeOutput([...x.shape], 'float32');
    // Views only after the allocation (an allocation may grow the heap and detach earlier views).
    const outValues = backend.typedArrayFromHeap(out);
    const xValues = backend.typedArrayFromHeap(x);
    for (let i = 0; i < size; i++) outValues[i] = f(xValues[i]!);
    return out;
  };
  return { ...shipped, kernelFunc };
}
