/**
 * Many tiny products, `[batch, m, k]·[batch, k, n]` with two of m, k, n small, as a few vectorised wasm kernels.
 *
 * EKTM's router mixes task representations row by row (`[2048,3,3]·[2048,3,128]`), a mixture of experts mixes its
 * experts (`[2048,2,4]·[2048,4,128]`), and their gradients take dot products (`[2048,2,128]·[2048,128,4]`).
 * tfjs-backend-wasm 4.22 runs these in a naive loop at about 0.6 GFLOP/s (10 ms each for the router; a fifth of
 * an EKTM training step), and a JavaScript loop is no faster. Written column by column they are a handful of
 * element-wise products over `[batch, n]` or `[batch, k]`, which XNNPACK runs vectorised and threaded:
 * - axpy form (n ≥ k): `out[:, i, :] = Σ_p A[:, i, p] ⊙ B[:, p, :]`, m·k multiplies and adds;
 * - dot form (k > n): `out[:, i, j] = Σ_p (A[:, i, :] ⊙ Bᵀ[:, j, :])[p]`, m·n multiplies and row sums.
 * One transpose per operand makes every column a contiguous view.
 */
import { Add, Concat, Multiply, Sum, Transpose, util } from '@tensorflow/tfjs-core';
import type { KernelBackend, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs-core';
import { disposeAll, releaseViews, reshaped, runWasmKernel, viewAt } from './wasm-kernel-calls.js';

/** Most element-wise products one small product may take; beyond it the shipped loop is kept. */
const MAX_PRODUCTS = 32;
/** Shortest vector (n in axpy form, k in dot form) worth a kernel call. */
const MIN_VECTOR = 16;

/** Whether `op(A)·op(B)` with per-entry dims m, k, n runs as element-wise kernels, and in which form. */
export function smallProductForm(m: number, k: number, n: number): 'axpy' | 'dot' | undefined {
  if (n >= k) return m * k <= MAX_PRODUCTS && n >= MIN_VECTOR ? 'axpy' : undefined;
  return m * n <= MAX_PRODUCTS && k >= MIN_VECTOR ? 'dot' : undefined;
}

/** Moves the axes of a `[batch, r, c]` operand so that its vectors are contiguous. */
function permuted(x: TensorInfo, perm: number[], backend: KernelBackend): TensorInfo {
  return runWasmKernel(Transpose, { x }, backend, { perm });
}

function concat(parts: TensorInfo[], axis: number, backend: KernelBackend): TensorInfo {
  // Concat takes its inputs as an array.
  return runWasmKernel(Concat, parts as unknown as NamedTensorInfoMap, backend, { axis });
}

/** `Σ_p cols[p] ⊙ rows[p]` over `[batch, n]`, each partial product freed as soon as it is added. */
function sumOfProducts(cols: TensorInfo[], rows: TensorInfo[], backend: KernelBackend): TensorInfo {
  let acc = runWasmKernel(Multiply, { a: cols[0]!, b: rows[0]! }, backend);
  for (let p = 1; p < cols.length; p++) {
    const term = runWasmKernel(Multiply, { a: cols[p]!, b: rows[p]! }, backend);
    const next = runWasmKernel(Add, { a: acc, b: term }, backend);
    disposeAll(backend, [acc, term]);
    acc = next;
  }
  return acc;
}

/**
 * The float32 product `op(a)·op(b)` of operands batched alike (`[...batch, ·, ·]`), shape `[...batch, m, n]`;
 * `smallProductForm` must have accepted its dims.
 */
export function smallBatchedProduct(
  backend: KernelBackend,
  a: TensorInfo,
  b: TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
): TensorInfo {
  const batchShape = a.shape.slice(0, -2);
  const batch = util.sizeFromShape(batchShape);
  const a3 = reshaped(a, [batch, ...a.shape.slice(-2)]);
  const b3 = reshaped(b, [batch, ...b.shape.slice(-2)]);
  const [m, k] = transposeA ? [a3.shape[2]!, a3.shape[1]!] : [a3.shape[1]!, a3.shape[2]!];
  const n = transposeB ? b3.shape[1]! : b3.shape[2]!;
  const form = smallProductForm(m, k, n);
  // Internal invariant: called only when productPlan chose the small plan.
  if (form === undefined) throw new Error(`small batched product: [${m}×${k}]·[${k}×${n}] is not small`);
  const temporaries: TensorInfo[] = [];
  const views: TensorInfo[] = [];
  const view = (x: TensorInfo, offset: number, shape: number[]): TensorInfo => {
    const v = viewAt(backend, x, offset, shape);
    views.push(v);
    return v;
  };
  try {
    let out: TensorInfo;
    if (form === 'axpy') {
      const colsA = permuted(a3, transposeA ? [2, 1, 0] : [1, 2, 0], backend); // [m, k, batch]
      temporaries.push(colsA);
      const rowsB = permuted(b3, transposeB ? [2, 0, 1] : [1, 0, 2], backend); // [k, batch, n]
      temporaries.push(rowsB);
      const rows = Array.from({ length: k }, (_, p) => view(rowsB, p * batch * n, [batch, n]));
      const results: TensorInfo[] = [];
      for (let i = 0; i < m; i++) {
        const cols = Array.from({ length: k }, (_, p) => view(colsA, (i * k + p) * batch, [batch, 1]));
        const mixed = sumOfProducts(cols, rows, backend);
        temporaries.push(mixed);
        results.push(reshaped(mixed, [batch, 1, n]));
      }
      out = results.length === 1 ? runWasmKernel('Identity', { x: results[0]! }, backend) : concat(results, 1, backend);
    } else {
      const rowsA = permuted(a3, transposeA ? [2, 0, 1] : [1, 0, 2], backend); // [m, batch, k]
      temporaries.push(rowsA);
      const colsB = permuted(b3, transposeB ? [1, 0, 2] : [2, 0, 1], backend); // [n, batch, k]
      temporaries.push(colsB);
      const sums: TensorInfo[] = [];
      for (let i = 0; i < m; i++) {
        const row = view(rowsA, i * batch * k, [batch, k]);
        for (let j = 0; j < n; j++) {
          const product = runWasmKernel(Multiply, { a: row, b: view(colsB, j * batch * k, [batch, k]) }, backend);
          temporaries.push(product);
          const sum = runWasmKernel(Sum, { x: product }, backend, { axis: [1], keepDims: true }); // [batch, 1]
          temporaries.push(sum);
          sums.push(sum);
        }
      }
      out = sums.length === 1 ? runWasmKernel('Identity', { x: sums[0]! }, backend) : concat(sums, 1, backend);
    }
    return reshaped(out, [...batchShape, m, n]);
  } finally {
    releaseViews(backend, views);
    disposeAll(backend, temporaries);
  }
}
