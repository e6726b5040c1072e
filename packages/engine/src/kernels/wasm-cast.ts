/**
 * `Cast` on the wasm backend: to the dtype the tensor already has without a copy (the relu gradient casts its
 * float32 mask: 2.4 ms a training step of the reference MMoE), and to `bool` correctly.
 */
import type { CastAttrs, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { isNumeric } from './wasm-kernel-calls.js';
import { shareData, type RefCountingBackend } from './wasm-shared-data.js';

/**
 * `Cast` to the same dtype without a copy, and to `bool` as `x ≠ 0` (the shipped kernel stores the low byte:
 * −2 became 254 and 256 became false); any other cast goes to the shipped kernel.
 */
export function wasmCastConfig(shipped: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = ({ inputs, backend: anyBackend, attrs }) => {
    const { x } = inputs as { x: TensorInfo };
    const { dtype } = attrs as unknown as CastAttrs;
    const backend = anyBackend as RefCountingBackend;
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
