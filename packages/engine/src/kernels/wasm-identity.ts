/**
 * `Identity` on the wasm backend without a copy. The engine runs it on every input a kernel saves for its
 * gradient (hundreds of calls a training step of the reference MMoE, 15 ms); it now shares the data and counts a
 * reference, as the cpu backend does.
 */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { shareData, type RefCountingBackend } from './wasm-shared-data.js';

/** `Identity` without a copy: the output shares the input's data (reference-counted). */
export function wasmIdentityConfig(shipped: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = ({ inputs, backend, attrs }) => {
    const { x } = inputs as { x: TensorInfo };
    if (x.dtype === 'string') return shipped.kernelFunc({ inputs, backend, attrs });
    return shareData(backend as RefCountingBackend, x);
  };
  return { ...shipped, kernelFunc };
}
