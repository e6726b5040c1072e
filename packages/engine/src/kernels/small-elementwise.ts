/**
 * Element-wise kernels on small float32 tensors as heap loops on the calling thread: the size limit and heap
 * access shared by the unary (`wasm-small-unary.ts`) and binary (`wasm-small-binary.ts`) kernels.
 *
 * With XNNPACK threads on, tfjs-backend-wasm 4.22 hands even a 2048-element `Neg` to the thread pool, and waking
 * the pool costs 0.1–0.3 ms a call: a loss over a few tasks runs dozens of such calls (`Neg`, `ClipByValue`,
 * `Step`, `Square`, and `Multiply`, `Add`, `Sub`, `RealDiv` of two such tensors), about 9 ms of an EKTM
 * training step for `Neg` alone. A plain loop over 2048 values takes microseconds. Large tensors, other dtypes and other kernels go to the shipped
 * kernels. The formulas are the cpu backend's (NaN stays NaN). The shipped `ClipByValue` (XNNPACK's clamp)
 * turns NaN into the lower bound, which would hide a diverged model behind clipped, finite losses: its large
 * tensors get NaN put back.
 */
import type { HeapBackend } from './wasm-kernel-calls.js';
import type { TensorInfo } from '@tensorflow/tfjs-core';

/** Largest tensor run on the calling thread; beyond it XNNPACK's vectorised, threaded kernels win. */
export const SMALL_ELEMENTWISE_MAX = 1 << 14;

/** Number of elements of `x`. */
export const sizeOf = (x: TensorInfo): number => x.shape.reduce((a, b) => a * b, 1);

/** The float32 heap values of `x` (take views only after every allocation: one may grow and detach the heap). */
export const floats = (backend: HeapBackend, x: TensorInfo): Float32Array => backend.typedArrayFromHeap(x) as Float32Array;
