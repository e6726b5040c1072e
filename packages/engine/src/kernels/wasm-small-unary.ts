/**
 * Unary element-wise wasm kernels (`Neg`, `Relu`, `Sigmoid`, `Square`, `Step`, `ClipByValue`) on small float32
 * tensors as heap loops on the calling thread (see `small-elementwise.ts`); large tensors go to the shipped
 * kernel, and the shipped `ClipByValue` gets NaN put back (XNNPACK's clamp turns NaN into the lower bound).
 */
import { ClipByValue, Neg, Relu, Sigmoid, Square, Step } from '@tensorflow/tfjs-core';
import type { ClipByValueAttrs, KernelConfig, KernelFunc, NamedAttrMap, StepAttrs, TensorInfo } from '@tensorflow/tfjs-core';
import { floats, sizeOf, SMALL_ELEMENTWISE_MAX } from './small-elementwise.js';
import type { HeapBackend } from './wasm-kernel-calls.js';

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

/** Puts NaN back wherever the input had NaN. */
function keepNaN(out: Float32Array, x: Float32Array): void {
  for (let i = 0; i < x.length; i++) if (Number.isNaN(x[i])) out[i] = NaN;
}

/** Wraps a shipped unary kernel: small float32 inputs run `formula` on the heap, the rest the shipped kernel. */
export function wasmSmallUnaryConfig(shipped: KernelConfig): KernelConfig {
  const formula = SMALL_UNARY_FORMULAS[shipped.kernelName];
  // Internal invariant: kernel-patches.ts wraps only the kernels listed in SMALL_UNARY_FORMULAS.
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
