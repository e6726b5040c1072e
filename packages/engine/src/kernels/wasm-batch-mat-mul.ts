/**
 * `BatchMatMul` on the wasm backend, routed onto XNNPACK's fast path (see `matmul-operands.ts`): every call runs
 * untransposed, so that the gradients of a product (which transpose one operand) are as fast as the product.
 */
import type { BatchMatMulAttrs, KernelBackend, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { prepareOperands, runProduct } from './matmul-operands.js';
import { disposeAll } from './wasm-kernel-calls.js';

/** Wraps the shipped wasm `BatchMatMul` so that every call runs untransposed. */
export function wasmBatchMatMulConfig(shipped: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = ({ inputs, backend: anyBackend, attrs }) => {
    const backend = anyBackend as KernelBackend;
    const { a, b } = inputs as { a: TensorInfo; b: TensorInfo };
    const { transposeA, transposeB } = attrs as unknown as BatchMatMulAttrs;
    // Non-float32 operands: let the shipped kernel raise its own error.
    if (a.dtype !== 'float32' || b.dtype !== 'float32') return shipped.kernelFunc({ inputs, backend, attrs });
    const ops = prepareOperands(a, b, transposeA, transposeB, backend);
    try {
      return runProduct(shipped, ops, { ...attrs, transposeA: false, transposeB: false }, backend);
    } finally {
      disposeAll(backend, ops.temporaries);
    }
  };
  return { ...shipped, kernelFunc };
}
