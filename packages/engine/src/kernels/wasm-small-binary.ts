/**
 * Binary element-wise wasm kernels (`Add`, `Sub`, `Multiply`, `RealDiv`) on small float32 operands of one shape
 * (or one of them a single value) as heap loops on the calling thread (see `small-elementwise.ts`).
 */
import { Add, Multiply, RealDiv, Sub } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { floats, sizeOf, SMALL_ELEMENTWISE_MAX } from './small-elementwise.js';
import type { HeapBackend } from './wasm-kernel-calls.js';

/** The binary kernels handled here: operands of the same shape, or one of them a single value. */
export const SMALL_BINARY_FORMULAS: Readonly<Record<string, (a: number, b: number) => number>> = {
  [Add]: (a, b) => a + b,
  [Sub]: (a, b) => a - b,
  [Multiply]: (a, b) => a * b,
  [RealDiv]: (a, b) => a / b,
};

/** Wraps a shipped binary kernel: small float32 operands of one shape (or a single value) run on the heap. */
export function wasmSmallBinaryConfig(shipped: KernelConfig): KernelConfig {
  const formula = SMALL_BINARY_FORMULAS[shipped.kernelName];
  // Internal invariant: kernel-patches.ts wraps only the kernels listed in SMALL_BINARY_FORMULAS.
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
