/**
 * `_FusedMatMul` on the wasm backend, routed onto XNNPACK's fast path (see `matmul-operands.ts`).
 *
 * The shipped naive loop also adds a fused bias wrongly (element `[i][j]` gets `bias[min(i·n + j, n − 1)]`), so a
 * fused product that still needs the loop (both operands batched) or has a bias of rank > 1 adds the bias
 * and applies the activation with separate wasm kernels instead.
 */
import { Add, Elu, LeakyRelu, Prelu, Relu, Relu6, Sigmoid } from '@tensorflow/tfjs-core';
import type { KernelBackend, KernelConfig, KernelFunc, NamedTensorInfoMap, TensorInfo, _FusedMatMulAttrs } from '@tensorflow/tfjs-core';
import { prepareOperands, runProduct } from './matmul-operands.js';
import { disposeAll, runWasmKernel } from './wasm-kernel-calls.js';

/** The part of tfjs-backend-wasm's `BackendWasm` this kernel uses. */
interface WasmBackendLike extends KernelBackend {
  dataIdMap: { get(dataId: object): { shape: number[] } | undefined };
}

/** The activation of a fused product, as a separate wasm kernel call. */
function activate(x: TensorInfo, attrs: _FusedMatMulAttrs, prelu: TensorInfo | undefined, backend: KernelBackend): TensorInfo | undefined {
  switch (attrs.activation) {
    case 'linear':
      return undefined;
    case 'relu':
      return runWasmKernel(Relu, { x }, backend);
    case 'relu6':
      return runWasmKernel(Relu6, { x }, backend);
    case 'elu':
      return runWasmKernel(Elu, { x }, backend);
    case 'sigmoid':
      return runWasmKernel(Sigmoid, { x }, backend);
    case 'leakyrelu':
      return runWasmKernel(LeakyRelu, { x }, backend, { alpha: attrs.leakyreluAlpha ?? 0.2 });
    case 'prelu':
      // Internal invariant: tfjs passes prelu weights with a prelu activation.
      if (prelu == null) throw new Error('_FusedMatMul: activation prelu needs preluActivationWeights');
      return runWasmKernel(Prelu, { x, alpha: prelu }, backend);
    default:
      // Internal invariant: tfjs fuses only the activations above.
      throw new Error(`_FusedMatMul: activation ${String(attrs.activation)} is not supported on wasm`);
  }
}

/** Wraps the shipped wasm `_FusedMatMul` (rank-3 operands) so that every call runs untransposed, bias right. */
export function wasmFusedMatMulConfig(shipped: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = ({ inputs, backend: anyBackend, attrs }) => {
    const backend = anyBackend as KernelBackend;
    const { a, b, bias, preluActivationWeights } = inputs as {
      a: TensorInfo;
      b: TensorInfo;
      bias?: TensorInfo;
      preluActivationWeights?: TensorInfo;
    };
    const fusedAttrs = attrs as unknown as _FusedMatMulAttrs;
    if (a.dtype !== 'float32' || b.dtype !== 'float32') return shipped.kernelFunc({ inputs, backend, attrs });
    const ops = prepareOperands(a, b, fusedAttrs.transposeA, fusedAttrs.transposeB, backend);
    const plainAttrs = { ...attrs, transposeA: false, transposeB: false };
    try {
      const storedBiasRank = bias == null ? 1 : (backend as WasmBackendLike).dataIdMap.get(bias.dataId)?.shape.length;
      const vectorBias = bias == null || (bias.shape.length === 1 && storedBiasRank === 1);
      // XNNPACK adds a 1-D bias and applies the activation right; the loop gets the bias wrong; per-batch
      // products are plain (bias and activation follow as separate kernels).
      const fusedIsRight = ops.plan === 'single' ? vectorBias && !ops.swapped : ops.plan === 'loop' && bias == null;
      if (fusedIsRight) {
        const extra = Object.fromEntries(Object.entries(inputs).filter(([name]) => name !== 'a' && name !== 'b')) as NamedTensorInfoMap;
        return runProduct(shipped, ops, plainAttrs, backend, extra);
      }
      // The product alone, then the bias and the activation as separate kernels.
      let biased = runProduct(shipped, ops, { ...plainAttrs, activation: 'linear' }, backend);
      if (bias != null) {
        const product = biased;
        try {
          biased = runWasmKernel(Add, { a: product, b: bias }, backend);
        } finally {
          backend.disposeData(product.dataId);
        }
      }
      try {
        return activate(biased, fusedAttrs, preluActivationWeights, backend) ?? biased;
      } finally {
        if (fusedAttrs.activation !== 'linear') backend.disposeData(biased.dataId);
      }
    } finally {
      disposeAll(backend, ops.temporaries);
    }
  };
  return { ...shipped, kernelFunc };
}
