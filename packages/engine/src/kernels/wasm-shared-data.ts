/**
 * Outputs that share their input's data on the wasm backend, reference-counted as the cpu backend's `Identity`
 * does: the engine runs `Identity` on every input a kernel saves for its gradient (hundreds of calls a step),
 * and the shipped kernel copies each one.
 */
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { HeapBackend } from './wasm-kernel-calls.js';

/** The part of tfjs-backend-wasm's `BackendWasm` that shares data between tensors. */
export interface RefCountingBackend extends HeapBackend {
  incRef(dataId: object): void;
}

/** An output that shares the input's data (reference-counted), as the cpu backend's `Identity` does. */
export function shareData(backend: RefCountingBackend, x: TensorInfo): TensorInfo {
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
}
