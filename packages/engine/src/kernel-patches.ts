/**
 * Installs (and removes) the kernels that close the gaps of tfjs 4.22's wasm and cpu backends:
 * - wasm: the missing `UnsortedSegmentSum` (gradient of `gather`); `BatchMatMul` and `_FusedMatMul`
 *   routed onto XNNPACK when transposed or batched against a shared matrix, and a correct fused bias;
 *   `Identity`, `Cast`, `Unpack`, `SplitV`, `Sum`, `GatherV2` and `Transpose` as plain heap loops (or shared
 *   data) where the shipped ones are slow, and element-wise kernels on small tensors without waking XNNPACK's
 *   thread pool;
 * - cpu: a linear `UnsortedSegmentSum` instead of one that loops over every segment.
 * The native `tensorflow` backends need none. `initEngine` installs the patches for the backend it picks;
 * these functions are exported so that tests and applications that set backends themselves can apply them.
 */
import {
  Add,
  BatchMatMul,
  Cast,
  ClipByValue,
  GatherV2,
  getKernel,
  Identity,
  Multiply,
  Neg,
  RealDiv,
  registerKernel,
  Relu,
  Sigmoid,
  SplitV,
  Square,
  Step,
  Sub,
  Sum,
  Transpose,
  UnsortedSegmentSum,
  Unpack,
  unregisterKernel,
  _FusedMatMul,
} from '@tensorflow/tfjs-core';
import type { KernelConfig } from '@tensorflow/tfjs-core';
import type { EngineBackend } from './engine-options.js';
import { cpuUnsortedSegmentSumConfig } from './kernels/cpu-unsorted-segment-sum.js';
import { wasmBatchMatMulConfig } from './kernels/wasm-batch-mat-mul.js';
import { wasmCastConfig } from './kernels/wasm-cast.js';
import { wasmFusedMatMulConfig } from './kernels/wasm-fused-mat-mul.js';
import { wasmGatherV2Config } from './kernels/wasm-gather-v2.js';
import { wasmIdentityConfig } from './kernels/wasm-identity.js';
import { wasmSmallBinaryConfig } from './kernels/wasm-small-binary.js';
import { wasmSmallUnaryConfig } from './kernels/wasm-small-unary.js';
import { wasmSplitVConfig } from './kernels/wasm-split-v.js';
import { wasmSumConfig } from './kernels/wasm-sum.js';
import { wasmTransposeConfig } from './kernels/wasm-transpose.js';
import { wasmUnpackConfig } from './kernels/wasm-unpack.js';
import { wasmUnsortedSegmentSumConfig } from './kernels/wasm-unsorted-segment-sum.js';

/** Every kernel this module may patch, on either backend. */
const PATCHABLE = [
  UnsortedSegmentSum,
  BatchMatMul,
  _FusedMatMul,
  Identity,
  Unpack,
  Sum,
  GatherV2,
  SplitV,
  Transpose,
  Cast,
  Neg,
  Square,
  Step,
  ClipByValue,
  Relu,
  Sigmoid,
  Add,
  Sub,
  Multiply,
  RealDiv,
];

/**
 * Marks a patched kernel config and holds the config it replaced (null when there was none). A registry-wide
 * symbol, so that the ESM and CJS builds of this package loaded side by side recognise each other's patches.
 */
const REPLACED = Symbol.for('@ektm/engine/replaced-kernel');

type PatchedConfig = KernelConfig & { [REPLACED]?: KernelConfig | null };

function patchedKernel(kernelName: string, backendName: string): PatchedConfig | undefined {
  const current = getKernel(kernelName, backendName) as PatchedConfig | undefined;
  return current !== undefined && current[REPLACED] !== undefined ? current : undefined;
}

/** Registers `make(shipped)` in place of the shipped kernel, once; returns whether it did. */
function install(kernelName: string, backendName: string, make: (shipped: KernelConfig | undefined) => KernelConfig): boolean {
  if (patchedKernel(kernelName, backendName)) return false;
  const shipped = getKernel(kernelName, backendName);
  const config: PatchedConfig = { ...make(shipped), [REPLACED]: shipped ?? null };
  if (shipped) unregisterKernel(kernelName, backendName);
  registerKernel(config);
  return true;
}

function requireShipped(shipped: KernelConfig | undefined, kernelName: string, pkg: string): KernelConfig {
  // Internal invariant: initEngine imports the backend before patching it.
  if (!shipped) throw new Error(`${kernelName} is not registered for this backend: import ${pkg} before patching (initEngine does)`);
  return shipped;
}

/**
 * Patches the wasm backend's kernels; idempotent. `@tensorflow/tfjs-backend-wasm` must be imported first
 * (its kernels are wrapped). Returns the kernels newly patched.
 */
export function patchWasmKernels(): string[] {
  const pkg = '@tensorflow/tfjs-backend-wasm';
  requireShipped(getKernel(BatchMatMul, 'wasm'), BatchMatMul, pkg);
  const patched: string[] = [];
  if (install(UnsortedSegmentSum, 'wasm', () => wasmUnsortedSegmentSumConfig)) patched.push(UnsortedSegmentSum);
  if (install(BatchMatMul, 'wasm', (s) => wasmBatchMatMulConfig(requireShipped(s, BatchMatMul, pkg)))) patched.push(BatchMatMul);
  if (install(_FusedMatMul, 'wasm', (s) => wasmFusedMatMulConfig(requireShipped(s, _FusedMatMul, pkg)))) patched.push(_FusedMatMul);
  // Memory-bound kernels the shipped backend runs far slower than a copy (see kernels/wasm-identity.ts and its neighbours).
  const memoryKernels: [string, (shipped: KernelConfig) => KernelConfig][] = [
    [Identity, wasmIdentityConfig],
    [Unpack, wasmUnpackConfig],
    [Sum, wasmSumConfig],
    [GatherV2, wasmGatherV2Config],
    [SplitV, wasmSplitVConfig],
    [Transpose, wasmTransposeConfig],
    [Cast, wasmCastConfig],
    // Small element-wise calls on the calling thread instead of waking the thread pool (kernels/small-elementwise.ts).
    ...[Neg, Square, Step, ClipByValue, Relu, Sigmoid].map((name): [string, (shipped: KernelConfig) => KernelConfig] => [
      name,
      wasmSmallUnaryConfig,
    ]),
    ...[Add, Sub, Multiply, RealDiv].map((name): [string, (shipped: KernelConfig) => KernelConfig] => [name, wasmSmallBinaryConfig]),
  ];
  for (const [name, make] of memoryKernels) {
    if (install(name, 'wasm', (s) => make(requireShipped(s, name, pkg)))) patched.push(name);
  }
  return patched;
}

/** Replaces the cpu backend's `UnsortedSegmentSum` with the linear one; idempotent. Returns the kernels newly patched. */
export function patchCpuKernels(): string[] {
  return install(UnsortedSegmentSum, 'cpu', () => cpuUnsortedSegmentSumConfig) ? [UnsortedSegmentSum] : [];
}

/** The patches a backend needs (none for the native ones); returns the kernels newly patched. */
export function patchKernelsFor(backend: EngineBackend): string[] {
  if (backend === 'wasm') return patchWasmKernels();
  if (backend === 'cpu') return patchCpuKernels();
  return [];
}

/**
 * Puts the shipped kernels back on `backendName` ('wasm' or 'cpu'; both when omitted), e.g. to measure tfjs as
 * shipped or to compare against it. Returns the kernels restored.
 */
export function restoreKernels(backendName?: 'wasm' | 'cpu'): string[] {
  const restored: string[] = [];
  for (const backend of backendName ? [backendName] : (['wasm', 'cpu'] as const)) {
    for (const kernelName of PATCHABLE) {
      const current = patchedKernel(kernelName, backend);
      if (!current) continue;
      unregisterKernel(kernelName, backend);
      const shipped = current[REPLACED];
      if (shipped) registerKernel(shipped);
      restored.push(`${backend}/${kernelName}`);
    }
  }
  return restored;
}

/** Kernels currently patched on a backend, for diagnostics and tests. */
export function patchedKernels(backendName: 'wasm' | 'cpu'): string[] {
  return PATCHABLE.filter((k) => patchedKernel(k, backendName) !== undefined);
}
