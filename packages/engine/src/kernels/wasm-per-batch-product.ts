/**
 * `[batch, m, k]·[batch, k, n]` on the wasm backend as one XNNPACK product per batch entry, without copies.
 *
 * tfjs-backend-wasm 4.22 sends a product whose operands are both batched to a naive single-threaded loop (a
 * stack of four experts, `[4,2048,256]·[4,256,128]`, takes 233 ms). Its C++ `BatchMatMul` does call XNNPACK
 * when both operands have batch 1, so each batch entry is handed to it as a view: a tensor registered at an
 * offset inside the operand's own heap buffer, writing straight into its slice of the output. (The shipped
 * `Slice` kernel would copy the whole operand out of the heap for every entry: 5 ms each.)
 */
import { util } from '@tensorflow/tfjs-core';
import type { KernelBackend, TensorInfo } from '@tensorflow/tfjs-core';
import { releaseViews, viewAt, type WasmBackendInternals } from './wasm-kernel-calls.js';

type WasmBatchMatMul = (
  aId: number,
  aShape: Uint8Array,
  aRank: number,
  bId: number,
  bShape: Uint8Array,
  bRank: number,
  transposeA: boolean,
  transposeB: boolean,
  outId: number,
) => void;

/** The C++ `BatchMatMul` of each backend instance (a re-initialised backend has a new module). */
const compiled = new WeakMap<object, WasmBatchMatMul>();

function wasmBatchMatMul(backend: WasmBackendInternals): WasmBatchMatMul {
  let f = compiled.get(backend.wasm);
  if (f === undefined) {
    const argTypes = ['number', 'array', 'number', 'number', 'array', 'number', 'number', 'number', 'number'];
    f = backend.wasm.cwrap('BatchMatMul', null, argTypes) as WasmBatchMatMul;
    compiled.set(backend.wasm, f);
  }
  return f;
}

const shapeBytes = (shape: number[]): Uint8Array => new Uint8Array(new Int32Array(shape).buffer);

/**
 * The untransposed float32 product of `a: [batch, m, k]` and `b: [batch, k, n]`, shape `[batch, m, n]`, computed
 * entry by entry on XNNPACK.
 */
export function perBatchProduct(anyBackend: KernelBackend, a: TensorInfo, b: TensorInfo): TensorInfo {
  const backend = anyBackend as WasmBackendInternals;
  const [batch, m, k] = a.shape as [number, number, number];
  const n = b.shape[2]!;
  util.assert(b.shape[0] === batch && b.shape[1] === k, () => `per-batch product: [${a.shape}]·[${b.shape}] do not match`);
  const run = wasmBatchMatMul(backend);
  const out = backend.makeOutput([batch, m, n], 'float32');
  const aShape = shapeBytes([1, m, k]);
  const bShape = shapeBytes([1, k, n]);
  for (let i = 0; i < batch; i++) {
    const views = [
      viewAt(backend, a, i * m * k, [1, m, k]),
      viewAt(backend, b, i * k * n, [1, k, n]),
      viewAt(backend, out, i * m * n, [1, m, n]),
    ];
    try {
      const [ai, bi, oi] = views.map((v) => backend.dataIdMap.get(v.dataId)!.id);
      run(ai, aShape, 3, bi, bShape, 3, false, false, oi);
    } finally {
      releaseViews(backend, views);
    }
  }
  return out;
}
