/**
 * Element-wise kernels on small float32 tensors as heap loops on the calling thread.
 *
 * With XNNPACK threads on, tfjs-backend-wasm 4.22 hands even a 2048-element `Neg` to the thread pool, and waking
 * the pool costs 0.1–0.3 ms a call: a loss over a few tasks runs dozens of such calls (`Neg`, `ClipByValue`,
 * `Step`, `Square`, and `Multiply`, `Add`, `Sub`, `RealDiv` of two such tensors), about 9 ms of an EKTM
 * training step for `Neg` alone. A plain loop over 2048 values takes microseconds. Large tensors, other dtypes and other kernels go to the shipped
 * kernels. The formulas are the cpu backend's (NaN stays NaN). The shipped `ClipByValue` (XNNPACK's clamp)
 * turns NaN into the lower bound, which would hide a diverged model behind clipped, finite losses: its large
 * tensors get NaN put back.
 */
import { Add, ClipByValue, Multiply, Neg, RealDiv, Relu, Sigmoid, Square, Step, Sub } from '@tensorflow/tfjs-core';
import type { ClipByValueAttrs, KernelConfig, KernelFunc, NamedAttrMap, StepAttrs, TensorInfo } from '@tensorflow/tfjs-core';
import type { HeapBackend } from './wasm-kernel-calls.js';

/** Largest tensor run on the calling thread; beyond it XNNPACK's vectorised, threaded kernels win. */
export const SMALL_ELEMENTWISE_MAX = 1 << 14;

/** A value-by-value formula given the kernel's attributes. */
type Formula = (attrs: NamedAttrMap) => (x: number) => number;

/** The kernels handled here and their formulas (the cpu backend's). */
export const SMALL_UNARY_FORMULAS: Readonly<Record<string, Formula>> = {
  [Neg]: () => (x) => -x,
  [Relu]: () => (x) => Math.max(0, x),
  [Sigmoid]: () => (x) => 1 / (1 + Math.exp(-x)),
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

/** The binary kernels handled here: operands of the same shape, or one of them a single value. */
export const SMALL_BINARY_FORMULAS: Readonly<Record<string, (a: number, b: number) => number>> = {
  [Add]: (a, b) => a + b,
  [Sub]: (a, b) => a - b,
  [Multiply]: (a, b) => a * b,
  [RealDiv]: (a, b) => a / b,
};

const sizeOf = (x: TensorInfo): number => x.shape.reduce((a, b) => a * b, 1);

/** The float32 heap values of `x` (take views only after every allocation: one may grow and detach the heap). */
const floats = (backend: HeapBackend, x: TensorInfo): Float32Array => backend.typedArrayFromHeap(x) as Float32Array;

/** Wraps a shipped binary kernel: small float32 operands of one shape (or a single value) run on the heap. */
export function wasmSmallBinaryConfig(shipped: KernelConfig): KernelConfig {
  const formula = SMALL_BINARY_FORMULAS[shipped.kernelName];
  if (formula === undefined) throw new Error(`no small-tensor formula for ${shipped.kernelName}`);
  const kernelFunc: KernelFunc = ({ inputs, backend: anyBackend, attrs }) => {
    const { a, b } = inputs as { a: TensorInfo; b: TensorInfo };
    const sizeA = sizeOf(a);
    const sizeB = sizeOf(b);
    const sameShape = a.shape.length === b.shape.length && a.shape.every((d, i) => d === b.shape[i]);
    // A single value broadcasts only when it does not raise the rank of the other operand.
    const scalarB = sizeB === 1 && b.shape.length <= a.shape.length;
    const scalarA = sizeA === 1 && a.shape.length <= b.shape.length;
    const small = Math.max(sizeA, sizeB) <= SMALL_ELEMENTWISE_MAX;
    if (a.dtype !== 'float32' || b.dtype !== 'float32' || !small || !(sameShape || scalarA || scalarB)) {
      return shipped.kernelFunc({ inputs, backend: anyBackend, attrs });
    }
    const backend = anyBackend as HeapBackend;
    const out = backend.makeOutput([...(sizeA >= sizeB && !scalarA ? a.shape : b.shape)], 'float32');
    const o = floats(backend, out);
    const x = floats(backend, a);
    const y = floats(backend, b);
    if (sameShape) for (let i = 0; i < o.length; i++) o[i] = formula(x[i]!, y[i]!);
    else if (scalarB) for (let i = 0, v = y[0]!; i < o.length; i++) o[i] = formula(x[i]!, v);
    else for (let i = 0, v = x[0]!; i < o.length; i++) o[i] = formula(v, y[i]!);
    return out;
  };
  return { ...shipped, kernelFunc };
}

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
    const size = sizeOf(x);
    const backend = anyBackend as HeapBackend;
    if (x.dtype !== 'float32') return shipped.kernelFunc({ inputs, backend: anyBackend, attrs });
    if (size > SMALL_ELEMENTWISE_MAX) {
      const out = shipped.kernelFunc({ inputs, backend: anyBackend, attrs }) as TensorInfo;
      if (shipped.kernelName === ClipByValue) keepNaN(floats(backend, out), floats(backend, x));
      return out;
    }
    const f = formula(attrs ?? {});
    const out = backend.makeOutput([...x.shape], 'float32');
    // Views only after the allocation (an allocation may grow the heap and detach earlier views).
    const outValues = floats(backend, out);
    const xValues = floats(backend, x);
    for (let i = 0; i < size; i++) outValues[i] = f(xValues[i]!);
    return out;
  };
  return { ...shipped, kernelFunc };
}
