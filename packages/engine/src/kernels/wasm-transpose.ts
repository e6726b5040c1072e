/**
 * `Transpose` of the last two axes on the wasm backend as a tiled loop over the heap.
 *
 * tfjs-backend-wasm 4.22 transposes element by element in destination order, so every read misses the cache:
 * `[2048, 1024]` takes 16–19 ms, `[4, 2048, 256]` → `[4, 256, 2048]` 10 ms, where a copy of the same bytes takes
 * 1 ms. Every transposed matMul and its gradients need such a copy (see `matmul-operands.ts`). Walking
 * 64×64 tiles, four source rows at a time, brings `[2048, 1024]` to about 3 ms. Other permutations, and
 * matrices too small to matter, go to the shipped kernel.
 */
import { util } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo, TransposeAttrs } from '@tensorflow/tfjs-core';
import type { HeapBackend } from './wasm-kernel-calls.js';

type Numeric = Float32Array | Int32Array;

/** Tile edge: 64 rows × 64 columns of float32 stay in L1 on both sides. */
const TILE = 64;
/** Below this many elements per matrix the shipped kernel is as fast. */
const MIN_ELEMENTS = 4096;

/**
 * Writes the transpose of each of `batch` row-major `[rows, cols]` matrices of `x` into `out` (`[cols, rows]`
 * each). Exported for tests.
 */
export function transposeMatricesInto(out: Numeric, x: Numeric, batch: number, rows: number, cols: number): void {
  for (let b = 0, base = 0; b < batch; b++, base += rows * cols) {
    for (let i0 = 0; i0 < rows; i0 += TILE) {
      const i1 = Math.min(i0 + TILE, rows);
      for (let j0 = 0; j0 < cols; j0 += TILE) {
        const j1 = Math.min(j0 + TILE, cols);
        let i = i0;
        for (; i + 4 <= i1; i += 4) {
          const s0 = base + i * cols;
          const s1 = s0 + cols;
          const s2 = s1 + cols;
          const s3 = s2 + cols;
          for (let j = j0; j < j1; j++) {
            const d = base + j * rows + i;
            out[d] = x[s0 + j]!;
            out[d + 1] = x[s1 + j]!;
            out[d + 2] = x[s2 + j]!;
            out[d + 3] = x[s3 + j]!;
          }
        }
        for (; i < i1; i++) {
          for (let j = j0; j < j1; j++) out[base + j * rows + i] = x[base + i * cols + j]!;
        }
      }
    }
  }
}

/** True when `perm` keeps every axis but swaps the last two. */
function swapsInnerAxes(perm: number[]): boolean {
  const rank = perm.length;
  return rank >= 2 && perm[rank - 2] === rank - 1 && perm[rank - 1] === rank - 2 && perm.slice(0, -2).every((p, i) => p === i);
}

/** `Transpose` with a tiled loop for swaps of the last two axes of float32 and int32 tensors. */
export function wasmTransposeConfig(shipped: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = ({ inputs, backend: anyBackend, attrs }) => {
    const { x } = inputs as { x: TensorInfo };
    const { perm } = attrs as unknown as TransposeAttrs;
    const rank = x.shape.length;
    const rows = x.shape[rank - 2] ?? 0;
    const cols = x.shape[rank - 1] ?? 0;
    if ((x.dtype !== 'float32' && x.dtype !== 'int32') || !swapsInnerAxes(perm) || rows * cols < MIN_ELEMENTS) {
      return shipped.kernelFunc({ inputs, backend: anyBackend, attrs });
    }
    const backend = anyBackend as HeapBackend;
    const out = backend.makeOutput([...x.shape.slice(0, -2), cols, rows], x.dtype);
    // Views only after the allocation (an allocation may grow the heap and detach earlier views).
    const batch = util.sizeFromShape(x.shape.slice(0, -2));
    transposeMatricesInto(backend.typedArrayFromHeap(out) as Numeric, backend.typedArrayFromHeap(x) as Numeric, batch, rows, cols);
    return out;
  };
  return { ...shipped, kernelFunc };
}
