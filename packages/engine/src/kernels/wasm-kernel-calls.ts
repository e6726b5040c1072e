/**
 * Helpers for kernels that compose other wasm kernels: call a registered kernel on tensor infos, re-shape without
 * a copy, and view part of a tensor's heap buffer as a tensor of its own.
 */
import { getKernel } from '@tensorflow/tfjs-core';
import type { DataType, KernelBackend, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs-core';

/** What tfjs-backend-wasm 4.22's `BackendWasm` exposes that views need. */
export interface WasmBackendInternals extends KernelBackend {
  wasm: {
    cwrap(name: string, returnType: null, argTypes: string[]): (...args: unknown[]) => void;
    tfjs: { disposeData(id: number): void };
  };
  dataIdMap: {
    get(dataId: object): { id: number; memoryOffset: number; shape: number[] } | undefined;
    delete(dataId: object): void;
  };
  makeOutput(shape: number[], dtype: DataType, memoryOffset?: number): TensorInfo;
}

/** The typed arrays of the numeric dtypes the heap-loop kernels handle. */
export type Numeric = Float32Array | Int32Array;

/** Whether a dtype is one the heap-loop kernels handle (float32 or int32); others go to the shipped kernels. */
export function isNumeric(dtype: DataType): boolean {
  return dtype === 'float32' || dtype === 'int32';
}

/** The part of `BackendWasm` that kernels writing their output on the heap use. */
export interface HeapBackend extends KernelBackend {
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
}

/** Runs another kernel registered for wasm (Transpose, Add, activations) on tensor infos. */
export function runWasmKernel(name: string, inputs: NamedTensorInfoMap, backend: KernelBackend, attrs: NamedAttrMap = {}): TensorInfo {
  const kernel = getKernel(name, 'wasm');
  // Internal invariant: kernels run on the wasm backend only after it is imported.
  if (kernel == null) throw new Error(`wasm kernel ${name} is not registered; import @tensorflow/tfjs-backend-wasm first`);
  return kernel.kernelFunc({ inputs, backend, attrs }) as TensorInfo;
}

/** The same data with another shape of the same size; the wasm kernels read only `dataId` and `shape`. */
export function reshaped(x: TensorInfo, shape: number[]): TensorInfo {
  return { dataId: x.dataId, shape, dtype: x.dtype };
}

/**
 * A float32 tensor of `shape` over the heap bytes of `x` from element `offset` on, without a copy. Release it
 * with `releaseView`, never with `disposeData` (which would free memory that belongs to `x`).
 */
export function viewAt(anyBackend: KernelBackend, x: TensorInfo, offset: number, shape: number[]): TensorInfo {
  const backend = anyBackend as WasmBackendInternals;
  const stored = backend.dataIdMap.get(x.dataId);
  // Internal invariant: views are taken of tensors stored on this backend.
  if (stored === undefined) throw new Error('wasm view: the tensor is not stored on this backend');
  return backend.makeOutput(shape, 'float32', stored.memoryOffset + offset * Float32Array.BYTES_PER_ELEMENT);
}

/** Unregisters views made by `viewAt` without freeing their memory. */
export function releaseViews(anyBackend: KernelBackend, views: TensorInfo[]): void {
  const backend = anyBackend as WasmBackendInternals;
  for (const view of views) {
    const stored = backend.dataIdMap.get(view.dataId);
    if (stored === undefined) continue;
    // Also drops XNNPACK operators cached for this id as weights.
    backend.wasm.tfjs.disposeData(stored.id);
    backend.dataIdMap.delete(view.dataId);
  }
}

/** Frees temporaries made by kernels (not views). */
export function disposeAll(backend: KernelBackend, infos: TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}
