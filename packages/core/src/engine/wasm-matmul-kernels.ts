/**
 * `BatchMatMul` and `_FusedMatMul` on the wasm backend, routed onto XNNPACK's fast path.
 *
 * tfjs-backend-wasm 4.22 calls XNNPACK only for an untransposed product whose batch is 1; anything else runs
 * a naive triple loop: [2048×160]·[160×256] takes 8.5 ms plain but 92 ms with transposeB and 166 ms with
 * transposeA. Every matMul gradient uses those flags (dA = dY·Bᵀ, dB = Aᵀ·dY), so training ran 6× slower
 * than it need be. These wrappers transpose explicitly (the wasm Transpose kernel, a cheap copy), fold the
 * batch of A into its rows when B is shared across the batch, and then call the shipped kernel untransposed.
 *
 * The naive loop also adds a fused bias wrongly (element `[i][j]` gets `bias[min(i·n + j, n − 1)]`), so a
 * fused product that still needs the loop (both operands batched) or has a bias of rank > 1 adds the bias
 * and applies the activation with separate wasm kernels instead.
 */
import {
  Add,
  broadcast_util,
  Elu,
  getKernel,
  LeakyRelu,
  Prelu,
  Relu,
  Relu6,
  Sigmoid,
  Transpose,
  util,
} from '@tensorflow/tfjs-core';
import type {
  BatchMatMulAttrs,
  KernelBackend,
  KernelConfig,
  KernelFunc,
  NamedAttrMap,
  NamedTensorInfoMap,
  TensorInfo,
  _FusedMatMulAttrs,
} from '@tensorflow/tfjs-core';

/** The part of tfjs-backend-wasm's `BackendWasm` these kernels use. */
interface WasmBackendLike extends KernelBackend {
  dataIdMap: { get(dataId: object): { shape: number[] } | undefined };
}

/** Runs another kernel registered for wasm (Transpose, Add, activations) on tensor infos. */
function runWasmKernel(name: string, inputs: NamedTensorInfoMap, backend: KernelBackend, attrs: NamedAttrMap = {}): TensorInfo {
  const kernel = getKernel(name, 'wasm');
  if (kernel == null) throw new Error(`wasm kernel ${name} is not registered; import @tensorflow/tfjs-backend-wasm first`);
  return kernel.kernelFunc({ inputs, backend, attrs }) as TensorInfo;
}

/** Copies `x` with its last two axes swapped; the caller disposes the copy. */
function transposeInner(x: TensorInfo, backend: KernelBackend): TensorInfo {
  const perm = x.shape.map((_, i) => i);
  const rank = perm.length;
  [perm[rank - 2], perm[rank - 1]] = [perm[rank - 1], perm[rank - 2]];
  return runWasmKernel(Transpose, { x }, backend, { perm });
}

/** A view of the same data with another shape; the wasm kernels read only `dataId` and `shape`. */
function view(x: TensorInfo, shape: number[]): TensorInfo {
  return { dataId: x.dataId, shape, dtype: x.dtype };
}

/** Untransposed operands, and what the caller must dispose afterwards. */
interface Operands {
  a: TensorInfo;
  b: TensorInfo;
  /** Shape of the product, batch dimensions broadcast. */
  outShape: number[];
  /** True when XNNPACK will run: after folding, neither operand has a batch (false: both are batched). */
  fast: boolean;
  temporaries: TensorInfo[];
}

/**
 * Transposes what the flags ask for, then folds A's batch into its rows when B has none
 * ([batch, m, k]·[k, n] is [batch·m, k]·[k, n]), which XNNPACK accepts.
 */
function prepareOperands(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean, backend: KernelBackend): Operands {
  const temporaries: TensorInfo[] = [];
  if (transposeA) temporaries.push((a = transposeInner(a, backend)));
  if (transposeB) temporaries.push((b = transposeInner(b, backend)));
  const [m, k] = a.shape.slice(-2);
  const [kB, n] = b.shape.slice(-2);
  util.assert(
    k === kB,
    () => `Error in matMul: inner shapes (${k}) and (${kB}) of tensors after transposeA=${transposeA}, transposeB=${transposeB} must match.`,
  );
  const outShape = [...broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2)), m, n];
  const batchA = util.sizeFromShape(a.shape.slice(0, -2));
  const batchB = util.sizeFromShape(b.shape.slice(0, -2));
  if (batchB === 1) return { a: view(a, [1, batchA * m, k]), b: view(b, [1, k, n]), outShape, fast: true, temporaries };
  return { a, b, outShape, fast: false, temporaries };
}

function disposeAll(backend: KernelBackend, infos: TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}

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
      const out = shipped.kernelFunc({
        inputs: { a: ops.a, b: ops.b },
        backend,
        attrs: { ...attrs, transposeA: false, transposeB: false },
      }) as TensorInfo;
      out.shape = ops.outShape;
      return out;
    } finally {
      disposeAll(backend, ops.temporaries);
    }
  };
  return { ...shipped, kernelFunc };
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
      if (prelu == null) throw new Error('_FusedMatMul: activation prelu needs preluActivationWeights');
      return runWasmKernel(Prelu, { x, alpha: prelu }, backend);
    default:
      throw new Error(`_FusedMatMul: activation ${String(attrs.activation)} is not supported on wasm`);
  }
}

/** Wraps the shipped wasm `_FusedMatMul` (rank-3 operands) so that every call runs untransposed, bias right. */
export function wasmFusedMatMulConfig(shipped: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = ({ inputs, backend: anyBackend, attrs }) => {
    const backend = anyBackend as KernelBackend;
    const { a, b, bias, preluActivationWeights } = inputs as { a: TensorInfo; b: TensorInfo; bias?: TensorInfo; preluActivationWeights?: TensorInfo };
    const fusedAttrs = attrs as unknown as _FusedMatMulAttrs;
    if (a.dtype !== 'float32' || b.dtype !== 'float32') return shipped.kernelFunc({ inputs, backend, attrs });
    const ops = prepareOperands(a, b, fusedAttrs.transposeA, fusedAttrs.transposeB, backend);
    const plainAttrs = { ...attrs, transposeA: false, transposeB: false };
    try {
      const storedBiasRank = bias == null ? 1 : (backend as WasmBackendLike).dataIdMap.get(bias.dataId)?.shape.length;
      if (bias == null || (ops.fast && bias.shape.length === 1 && storedBiasRank === 1)) {
        const out = shipped.kernelFunc({ inputs: { ...inputs, a: ops.a, b: ops.b }, backend, attrs: plainAttrs }) as TensorInfo;
        out.shape = ops.outShape;
        return out;
      }
      // The product alone, then the bias and the activation as separate kernels.
      const product = shipped.kernelFunc({
        inputs: { a: ops.a, b: ops.b },
        backend,
        attrs: { ...plainAttrs, activation: 'linear' },
      }) as TensorInfo;
      product.shape = ops.outShape;
      let biased: TensorInfo;
      try {
        biased = runWasmKernel(Add, { a: product, b: bias }, backend);
      } finally {
        backend.disposeData(product.dataId);
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
