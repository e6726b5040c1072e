/**
 * Where a training step goes: every kernel of the running backend wrapped with a wall-clock timer (tfjs' own
 * profiler reads every tensor back, far too slow at this size), each call filed under one part of the step. The
 * matrix products also count their floating-point operations, so that the step can be set against its lower
 * bound: the products alone at the GFLOP/s the machine reaches on one large plain product.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';

/** The parts a step is split into. */
export type StepPart = 'matmul' | 'embedding' | 'elementwise' | 'optimizer' | 'rest';

/** Every {@link StepPart}, in report order. */
export const STEP_PARTS: readonly StepPart[] = ['matmul', 'embedding', 'elementwise', 'optimizer', 'rest'];

/** What each part holds, for the printed report and the docs. */
export const STEP_PART_DESCRIPTIONS: Readonly<Record<StepPart, string>> = {
  matmul: 'matrix products (forward, input and weight gradients)',
  embedding: 'embedding gather and its gradient (scatter-add)',
  elementwise: 'element-wise kernels and reductions (activations, softmax, losses, bias gradients)',
  optimizer: 'the optimizer update (every kernel inside applyGradients)',
  rest: 'layout kernels (transpose, concat, slice, stack) and time outside kernels (autodiff, JavaScript)',
};

const MATMUL_KERNELS = new Set(['BatchMatMul', '_FusedMatMul', 'MatMul']);
const EMBEDDING_KERNELS = new Set(['GatherV2', 'UnsortedSegmentSum', 'GatherNd', 'ScatterNd', 'SparseSegmentSum', 'SparseToDense']);
const LAYOUT_KERNELS = new Set([
  'Transpose',
  'Concat',
  'Pack',
  'Unpack',
  'Slice',
  'SplitV',
  'StridedSlice',
  'Reshape',
  'Identity',
  'Tile',
  'Pad',
  'Reverse',
  'ExpandDims',
  'Squeeze',
  'BroadcastTo',
  'Fill',
  'ZerosLike',
  'OnesLike',
  'Range',
  'OneHot',
]);

/** The part a kernel call belongs to (`optimizer` is decided by the phase, not the kernel). */
export function stepPartOf(kernelName: string): Exclude<StepPart, 'optimizer'> {
  if (MATMUL_KERNELS.has(kernelName)) return 'matmul';
  if (EMBEDDING_KERNELS.has(kernelName)) return 'embedding';
  if (LAYOUT_KERNELS.has(kernelName)) return 'rest';
  return 'elementwise';
}

/** Multiply-adds ×2 of a product kernel call: batch · M · N · K from its operands' shapes and transpose flags. */
export function productFlops(a: readonly number[], b: readonly number[], attrs: NamedAttrMap | undefined): number {
  const transposeA = attrs?.['transposeA'] === true;
  const transposeB = attrs?.['transposeB'] === true;
  const m = transposeA ? a[a.length - 1]! : a[a.length - 2]!;
  const k = transposeA ? a[a.length - 2]! : a[a.length - 1]!;
  const n = transposeB ? b[b.length - 2]! : b[b.length - 1]!;
  const batchOf = (s: readonly number[]) => s.slice(0, -2).reduce((p, d) => p * d, 1);
  return 2 * Math.max(batchOf(a), batchOf(b)) * m * n * k;
}

/** Milliseconds and calls of one kernel in one part. */
export interface KernelTime {
  /** Kernel name. */
  kernel: string;
  /** Part of the step. */
  part: StepPart;
  /** Total milliseconds. */
  ms: number;
  /** Calls. */
  calls: number;
}

/**
 * Times every kernel call of the running backend while installed. `phase('optimizer')` files the calls that follow
 * under the optimizer; `phase('step')` back under their kernel's own part. Nested kernel calls (a kernel calling
 * others) count once, in the outer one.
 */
export class KernelTimer {
  private readonly originals: KernelConfig[] = [];
  private readonly times = new Map<string, KernelTime>();
  private optimizer = false;
  private depth = 0;
  /** Floating-point operations of the matrix products timed so far. */
  productFlops = 0;

  /** Wraps the kernels of `backendName` (default: the active backend). */
  install(backendName: string = tf.getBackend()): this {
    for (const config of tf.getKernelsForBackend(backendName)) {
      this.originals.push(config);
      const inner = config.kernelFunc;
      tf.unregisterKernel(config.kernelName, config.backendName);
      tf.registerKernel({ ...config, kernelFunc: (params) => this.timed(config.kernelName, params, () => inner(params)) });
    }
    return this;
  }

  /** Puts the original kernels back. */
  uninstall(): void {
    for (const config of this.originals) {
      tf.unregisterKernel(config.kernelName, config.backendName);
      tf.registerKernel(config);
    }
    this.originals.length = 0;
  }

  /** Files the next calls under the optimizer (`optimizer`) or under their kernel's part (`step`). */
  phase(name: 'optimizer' | 'step'): void {
    this.optimizer = name === 'optimizer';
  }

  /** Forgets the times so far (after warm-up). */
  reset(): void {
    this.times.clear();
    this.productFlops = 0;
  }

  /** Every kernel's time so far, longest first. */
  kernels(): KernelTime[] {
    return [...this.times.values()].sort((a, b) => b.ms - a.ms);
  }

  private timed<T>(kernel: string, params: { inputs: Record<string, unknown>; attrs?: NamedAttrMap }, run: () => T): T {
    if (this.depth > 0) return run();
    this.depth++;
    const start = performance.now();
    try {
      return run();
    } finally {
      const ms = performance.now() - start;
      this.depth--;
      const part: StepPart = this.optimizer ? 'optimizer' : stepPartOf(kernel);
      if (part === 'matmul') {
        const [a, b] = Object.values(params.inputs) as TensorInfo[];
        if (a && b) this.productFlops += productFlops(a.shape, b.shape, params.attrs);
      }
      const key = `${part}\t${kernel}`;
      const entry = this.times.get(key) ?? { kernel, part, ms: 0, calls: 0 };
      entry.ms += ms;
      entry.calls++;
      this.times.set(key, entry);
    }
  }
}

/** A training step split into parts, per step. */
export interface StepProfile {
  /** Profiled steps (after the timed ones, with every kernel wrapped). */
  steps: number;
  /** Median wall time of a profiled step, ms. */
  stepMs: number;
  /** Milliseconds per step of each part; `rest` includes the time outside kernels. */
  parts: Record<StepPart, number>;
  /** GFLOP of the step's matrix products. */
  productGflop: number;
  /** GFLOP/s of the step's products as they ran. */
  productGflops: number;
  /** GFLOP/s of one large plain product `[2048, 1024]·[1024, 256]` on this engine: what a product can reach here. */
  peakGflops: number;
  /** `productGflop / peakGflops`, ms: the step's products alone at the peak rate, the lower bound of a step. */
  lowerBoundMs: number;
  /** The kernels taking the most time per step. */
  topKernels: KernelTime[];
}

/** GFLOP/s of a plain `[2048, 1024]·[1024, 256]` product on the running backend (median of a few runs). */
export async function measurePeakGflops(repeats = 7): Promise<number> {
  const [m, k, n] = [2048, 1024, 256];
  const a = tf.randomUniform([m, k]);
  const b = tf.randomUniform([k, n]);
  const ms: number[] = [];
  try {
    for (let i = 0; i < repeats + 2; i++) {
      const start = performance.now();
      const c = tf.matMul(a, b);
      await c.data();
      const elapsed = performance.now() - start;
      c.dispose();
      if (i >= 2) ms.push(elapsed);
    }
  } finally {
    tf.dispose([a, b]);
  }
  ms.sort((x, y) => x - y);
  return (2 * m * k * n) / (ms[ms.length >> 1]! * 1e6);
}
