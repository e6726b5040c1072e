/**
 * How a wasm matrix product runs on XNNPACK's fast path: the operands untransposed (and swapped, folded or split
 * per batch entry), shared by the `BatchMatMul` and `_FusedMatMul` kernels (`wasm-batch-mat-mul.ts`,
 * `wasm-fused-mat-mul.ts`).
 *
 * tfjs-backend-wasm 4.22 calls XNNPACK only for an untransposed product whose batch is 1; anything else runs
 * a naive triple loop: [2048×160]·[160×256] takes 8.5 ms plain but 92 ms with transposeB and 166 ms with
 * transposeA. Every matMul gradient uses those flags (dA = dY·Bᵀ, dB = Aᵀ·dY), so training ran 6× slower
 * than it need be. The kernels transpose explicitly (the wasm Transpose kernel, a cheap copy), fold the
 * batch of A into its rows when B is shared across the batch, and then call the shipped kernel untransposed.
 * A product with both operands batched alike (a stack of experts) runs as one XNNPACK product per batch entry
 * (`wasm-per-batch-product.ts`), or as element-wise kernels when each is tiny (`wasm-small-batched-product.ts`);
 * a large B much wider than A runs with the operands swapped (`swapsOperands`).
 */
import { broadcast_util, Transpose, util } from '@tensorflow/tfjs-core';
import type { KernelBackend, KernelConfig, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs-core';
import { reshaped, runWasmKernel } from './wasm-kernel-calls.js';
import { perBatchProduct } from './wasm-per-batch-product.js';
import { smallBatchedProduct, smallProductForm } from './wasm-small-batched-product.js';

/** Copies `x` with its last two axes swapped; the caller disposes the copy. */
function transposeInner(x: TensorInfo, backend: KernelBackend): TensorInfo {
  const perm = x.shape.map((_, i) => i);
  const rank = perm.length;
  [perm[rank - 2], perm[rank - 1]] = [perm[rank - 1], perm[rank - 2]];
  return runWasmKernel(Transpose, { x }, backend, { perm });
}

/** Untransposed operands, and what the caller must dispose afterwards. */
export interface Operands {
  a: TensorInfo;
  b: TensorInfo;
  /** Shape of the product, batch dimensions broadcast. */
  outShape: number[];
  /**
   * How the product runs: `single`, one XNNPACK product (B has no batch); `perBatch`, one XNNPACK product per
   * batch entry (both batched alike, each product large); `small`, element-wise kernels over tiny products
   * (both batched alike), which apply the transpose flags themselves; `loop`, the shipped naive loop.
   */
  plan: 'single' | 'perBatch' | 'small' | 'loop';
  /** Transposes still to apply (only the `small` plan has any). */
  transposeA: boolean;
  transposeB: boolean;
  /** True when `a·b` is the transpose of the product asked for (see `swapsOperands`). */
  swapped: boolean;
  temporaries: TensorInfo[];
}

/**
 * Smallest B (`k·n` elements) worth computing `(op(B)ᵀ·op(A)ᵀ)ᵀ` instead. XNNPACK repacks its B operand on
 * every call with a new B (about 10 ns an element here; a tiled transpose costs about 1.5 ns), so a product
 * whose B is much larger than its A, such as a weight gradient `Xᵀ·dY` (`[160,2048]·[2048,1024]`), is
 * cheaper with the operands swapped: the large one transposed, the small one packed.
 */
const SWAP_MIN_B_ELEMENTS = 1 << 20;

/** Whether the unbatched product `[m,k]·[k,n]` runs faster swapped (B large and at least twice as wide as A is tall). */
export function swapsOperands(m: number, k: number, n: number): boolean {
  return k * n >= SWAP_MIN_B_ELEMENTS && n >= 2 * m;
}

/**
 * Transposes what the flags ask for, then folds A's batch into its rows when B has none
 * ([batch, m, k]·[k, n] is [batch·m, k]·[k, n]), which XNNPACK accepts.
 */
export function prepareOperands(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean, backend: KernelBackend): Operands {
  const temporaries: TensorInfo[] = [];
  // Shapes of op(A) and op(B), the operands as the product sees them.
  const aOp = transposeA ? [...a.shape.slice(0, -2), a.shape[a.shape.length - 1]!, a.shape[a.shape.length - 2]!] : a.shape;
  const bOp = transposeB ? [...b.shape.slice(0, -2), b.shape[b.shape.length - 1]!, b.shape[b.shape.length - 2]!] : b.shape;
  if (productPlan(aOp, bOp) === 'small') {
    const [m, k] = aOp.slice(-2);
    const [kB, n] = bOp.slice(-2);
    util.assert(
      k === kB,
      () =>
        `Error in matMul: inner shapes (${k}) and (${kB}) of tensors with transposeA=${transposeA}, transposeB=${transposeB} must match.`,
    );
    return { a, b, outShape: [...a.shape.slice(0, -2), m!, n!], plan: 'small', transposeA, transposeB, swapped: false, temporaries };
  }
  const swapped = swappedOperands(a, b, aOp, bOp, transposeA, transposeB, backend, temporaries);
  if (swapped) return swapped;
  if (transposeA) temporaries.push((a = transposeInner(a, backend)));
  if (transposeB) temporaries.push((b = transposeInner(b, backend)));
  const [m, k] = a.shape.slice(-2);
  const [kB, n] = b.shape.slice(-2);
  util.assert(
    k === kB,
    () =>
      `Error in matMul: inner shapes (${k}) and (${kB}) of tensors after transposeA=${transposeA}, transposeB=${transposeB} must match.`,
  );
  const outShape = [...broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2)), m, n];
  const batchA = util.sizeFromShape(a.shape.slice(0, -2));
  const batchB = util.sizeFromShape(b.shape.slice(0, -2));
  const plan = productPlan(a.shape, b.shape);
  const untransposed = { transposeA: false, transposeB: false, swapped: false, temporaries };
  if (plan === 'single') return { a: reshaped(a, [1, batchA * m, k]), b: reshaped(b, [1, k, n]), outShape, plan, ...untransposed };
  if (plan === 'perBatch') return { a: reshaped(a, [batchA, m, k]), b: reshaped(b, [batchB, k, n]), outShape, plan, ...untransposed };
  return { a, b, outShape, plan: 'loop', ...untransposed };
}

/** `op(B)ᵀ` and `op(A)ᵀ` as untransposed operands when both are unbatched and `swapsOperands` says so. */
function swappedOperands(
  a: TensorInfo,
  b: TensorInfo,
  aOp: readonly number[],
  bOp: readonly number[],
  transposeA: boolean,
  transposeB: boolean,
  backend: KernelBackend,
  temporaries: TensorInfo[],
): Operands | undefined {
  if (util.sizeFromShape(a.shape.slice(0, -2)) !== 1 || util.sizeFromShape(b.shape.slice(0, -2)) !== 1) return undefined;
  const [m, k] = aOp.slice(-2);
  const [kB, n] = bOp.slice(-2);
  if (k !== kB || !swapsOperands(m!, k!, n!)) return undefined;
  const bt = transposeB ? b : transposeInner(b, backend);
  if (!transposeB) temporaries.push(bt);
  const at = transposeA ? a : transposeInner(a, backend);
  if (!transposeA) temporaries.push(at);
  const outShape = [...broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2)), m!, n!];
  return {
    a: reshaped(bt, [1, n!, k!]),
    b: reshaped(at, [1, k!, m!]),
    outShape,
    plan: 'single',
    transposeA: false,
    transposeB: false,
    swapped: true,
    temporaries,
  };
}

/** How the untransposed product `a·b` of these shapes runs (see `Operands.plan`). */
export function productPlan(aShape: readonly number[], bShape: readonly number[]): Operands['plan'] {
  if (util.sizeFromShape(bShape.slice(0, -2)) === 1) return 'single';
  const [m, k] = aShape.slice(-2);
  const n = bShape[bShape.length - 1]!;
  const sameBatch = util.arraysEqual(aShape.slice(0, -2), bShape.slice(0, -2));
  if (!sameBatch) return 'loop';
  if (m! * k! * n >= PER_BATCH_MIN_PRODUCT) return 'perBatch';
  return smallProductForm(m!, k!, n) !== undefined ? 'small' : 'loop';
}

/**
 * Smallest `m·k·n` worth one XNNPACK call per batch entry: below it the per-call cost (an XNNPACK operator
 * created and its weights packed) outweighs the alternatives (e.g. the gate mixing `[2048,2,4]·[2048,4,128]`, 2048 tiny products).
 */
const PER_BATCH_MIN_PRODUCT = 1 << 15;

/** The untransposed product of prepared operands, shaped `ops.outShape`. */
export function runProduct(
  shipped: KernelConfig,
  ops: Operands,
  attrs: NamedAttrMap,
  backend: KernelBackend,
  extraInputs: NamedTensorInfoMap = {},
): TensorInfo {
  let out =
    ops.plan === 'perBatch'
      ? perBatchProduct(backend, ops.a, ops.b)
      : ops.plan === 'small'
        ? smallBatchedProduct(backend, ops.a, ops.b, ops.transposeA, ops.transposeB)
        : (shipped.kernelFunc({ inputs: { ...extraInputs, a: ops.a, b: ops.b }, backend, attrs }) as TensorInfo);
  if (ops.swapped) {
    const transposed = out;
    try {
      out = transposeInner(transposed, backend);
    } finally {
      backend.disposeData(transposed.dataId);
    }
  }
  out.shape = ops.outShape;
  return out;
}
