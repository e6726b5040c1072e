/**
 * Training and inference throughput of the reference MMoE (or the EKTM model on the same backbone) on the
 * running TensorFlow.js engine: the workload of ../../shared/bench/torch_mmoe.py, so that the two can be compared
 * as a ratio on the same machine (see side-by-side.mjs).
 *
 * Reference model: 20 categorical fields × vocabulary 10,000 × dim 8; 4 experts [256, 128]; 2 softmax gates;
 * 2 towers [64]; sigmoid; BCE; Adam 1e-3; batch 2048.
 *
 * ```ts
 * const r = await runThroughputBenchmark({ model: 'mmoe', steps: 20, warmup: 3, batch: 2048 });
 * r.trainSamplesPerSec; r.inferSamplesPerSec;
 * ```
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {
  buildMultiTaskModel,
  createFusedAdam,
  getLossKind,
  initEngine,
  type BlockContext,
  type FeatureSpec,
  type MultiTaskModel,
  type TaskBlock,
} from '@ektm/core';
import { BenchMMoE } from './mmoe-block.js';
import { syntheticBatches, type SyntheticBatch } from './synthetic-batches.js';

/** Options of {@link runThroughputBenchmark}. */
export interface ThroughputOptions {
  /** `mmoe`: the reference MMoE. `ektm`: the EKTM model (router, transmitters, enhancers) on the same MMoE backbone. Default `mmoe`. */
  model?: 'mmoe' | 'ektm';
  /** Timed training steps; inference runs max(10, steps) batches. Default 20. */
  steps?: number;
  /** Untimed steps first (kernel setup, heap growth). Default 3. */
  warmup?: number;
  /** Rows a batch. Default 2048. */
  batch?: number;
  /** Categorical fields. Default 20. */
  fields?: number;
  /** Ids a field. Default 10,000. */
  vocabulary?: number;
  /**
   * XNNPACK threads on wasm (`initEngine({ wasmThreads })`); only takes effect when the engine is not initialised
   * yet. Default: `EKTM_WASM_THREADS`, else 1.
   */
  threads?: number;
  /**
   * Measure the engine as it was before issue 7's changes: the shipped wasm `Identity`, `Unpack`, `Sum` and
   * `GatherV2`, tfjs-layers running a multi-output layer once per output, and tfjs's own Adam update. For before/after tables only;
   * it changes the process-wide engine. Default false.
   */
  baseline?: boolean;
  /** Called after each timed training step with its duration, for profiling harnesses. */
  onStep?: (index: number, ms: number) => void;
}

/** What {@link runThroughputBenchmark} measured. */
export interface ThroughputResult {
  /** tfjs backend that ran (`wasm`, `cpu`, `tensorflow`). */
  backend: string;
  /** Which model. */
  model: 'mmoe' | 'ektm';
  /** XNNPACK threads of the wasm backend (1 elsewhere). */
  threads: number;
  /** Where the MMoE block came from: `@ektm/baselines` or the benchmark's own stand-in. */
  mmoeBlock: string;
  /** Rows a batch. */
  batch: number;
  /** Timed training steps. */
  steps: number;
  /** Trainable parameters. */
  params: number;
  /** Training throughput over the timed steps (forward, backward, Adam update, loss read back). */
  trainSamplesPerSec: number;
  /** Inference throughput (forward, probabilities read back). */
  inferSamplesPerSec: number;
  /** Median duration of a timed training step. */
  msPerStep: number;
  /** Throughputs of the fastest training step and inference batch: less disturbed by other jobs on a busy machine. */
  bestTrainSamplesPerSec: number;
  bestInferSamplesPerSec: number;
  /** Loss of the first and the last training step (a sanity check that it trains). */
  lossFirst: number;
  lossLast: number;
  /** Peak resident memory of the process. */
  peakRssMB: number;
}

const TASKS = ['task0', 'task1'];

/** The MMoE block: `@ektm/baselines`' when it exports one, else the benchmark's stand-in. */
async function mmoeFactory(): Promise<{ source: string; make: (ctx: BlockContext) => TaskBlock }> {
  try {
    const baselines = (await import('@ektm/baselines')) as Record<string, unknown>;
    const MMoE = baselines['MMoE'] as (new (args: Record<string, unknown>) => TaskBlock) | undefined;
    if (typeof MMoE === 'function') {
      return {
        source: '@ektm/baselines',
        make: (ctx) => new MMoE({ tasks: ctx.towerTasks, experts: 4, expertUnits: [256, 128], seed: ctx.seed, name: 'mmoe' }),
      };
    }
  } catch {
    // Not built yet: use the stand-in.
  }
  return { source: 'bench stand-in', make: (ctx) => new BenchMMoE({ tasks: ctx.towerTasks, experts: 4, expertUnits: [256, 128], seed: ctx.seed, name: 'mmoe' }) };
}

/** Builds the benchmark model. */
export async function buildBenchmarkModel(kind: 'mmoe' | 'ektm', fields: number, vocabulary: number): Promise<{ model: MultiTaskModel; mmoeBlock: string }> {
  const features: FeatureSpec[] = Array.from({ length: fields }, (_, i) => ({ name: `f${i}`, type: 'categorical', vocabularySize: vocabulary }));
  const tasks = TASKS.map((name) => ({ name }));
  const mmoe = await mmoeFactory();
  if (kind === 'mmoe') {
    return { model: buildMultiTaskModel({ name: 'mmoe', features, embeddingDim: 8, tasks, backbone: mmoe.make, tower: { units: [64] }, seed: 0 }), mmoeBlock: mmoe.source };
  }
  const { buildEktm } = (await import('@ektm/model')) as unknown as { buildEktm: (o: Record<string, unknown>) => MultiTaskModel };
  return { model: buildEktm({ features, tasks, backbone: mmoe.make, tower: { units: [64] }, embeddingDim: 8, seed: 0 }), mmoeBlock: mmoe.source };
}

/** A batch uploaded once: ids, labels and all-ones masks keyed by task. */
interface DeviceBatch {
  ids: tf.Tensor2D;
  labels: Record<string, tf.Tensor1D>;
  masks: Record<string, tf.Tensor1D>;
}

function upload(batch: SyntheticBatch, rows: number, fields: number): DeviceBatch {
  const labels: Record<string, tf.Tensor1D> = {};
  const masks: Record<string, tf.Tensor1D> = {};
  TASKS.forEach((task, i) => {
    labels[task] = tf.tensor1d(batch.labels[i]!, 'float32');
    masks[task] = tf.ones([rows]) as tf.Tensor1D;
  });
  return { ids: tf.tensor2d(batch.ids, [rows, fields], 'int32'), labels, masks };
}

/** The model's total loss on a batch: its loss terms (tasks and auxiliary), weighted, summed. */
export function totalLoss(model: MultiTaskModel, batch: DeviceBatch): tf.Scalar {
  const outputs = model.forward({ categorical: batch.ids }, true);
  let total: tf.Scalar | undefined;
  for (const term of model.spec.lossTerms) {
    const value = getLossKind(term.kind)({
      outputs: term.outputs.map((k) => outputs[k]!),
      label: batch.labels[term.task]!,
      mask: batch.masks[term.task]!,
      labels: batch.labels,
      masks: batch.masks,
      options: term.options ?? {},
    });
    const weighted = term.weight === 1 ? value : tf.mul(value, term.weight);
    total = (total ? tf.add(total, weighted) : weighted) as tf.Scalar;
  }
  return total!;
}

/** See `ThroughputOptions.baseline`. */
export function undoIssue7Changes(): void {
  const replaced = Symbol.for('@ektm/core/engine/replaced-kernel');
  for (const name of ['Identity', 'Unpack', 'Sum', 'GatherV2', 'SplitV']) {
    const current = tf.getKernel(name, 'wasm') as (tf.KernelConfig & { [k: symbol]: tf.KernelConfig | null }) | undefined;
    const shipped = current?.[replaced];
    if (!shipped) continue;
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel(shipped);
  }
  const layerProto = tfl.layers.Layer.prototype as unknown as Record<PropertyKey, unknown>;
  const patched = layerProto[Symbol.for('@ektm/core/engine/layers-executor-patch')] as { originalApply?: unknown } | undefined;
  if (patched?.originalApply) layerProto['apply'] = patched.originalApply;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * Trains the model for `warmup + steps` steps and runs inference for max(10, steps) batches on 4 synthetic
 * batches uploaded once (as the PyTorch reference does), and reports the throughputs. Initialises the engine
 * (`initEngine`, so `EKTM_BACKEND` applies) if nobody has.
 */
export async function runThroughputBenchmark(options: ThroughputOptions = {}): Promise<ThroughputResult> {
  const kind = options.model ?? 'mmoe';
  if (kind !== 'mmoe' && kind !== 'ektm') throw new Error(`model: "${String(kind)}" is not allowed; use mmoe or ektm`);
  const steps = options.steps ?? 20;
  const warmup = options.warmup ?? 3;
  const rows = options.batch ?? 2048;
  const fields = options.fields ?? 20;
  const vocabulary = options.vocabulary ?? 10_000;
  for (const [name, v, min] of [['steps', steps, 1], ['warmup', warmup, 0], ['batch', rows, 1], ['fields', fields, 1], ['vocabulary', vocabulary, 1]] as const) {
    if (!Number.isInteger(v) || v < min) throw new Error(`${name}: ${v} must be an integer >= ${min}`);
  }
  const engine = await initEngine({ quiet: true, ...(options.threads !== undefined ? { wasmThreads: options.threads } : {}) });
  if (options.baseline) undoIssue7Changes();
  const { model, mmoeBlock } = await buildBenchmarkModel(kind, fields, vocabulary);
  const batches = syntheticBatches(4, rows, fields, vocabulary).map((b) => upload(b, rows, fields));
  // Adam 1e-3 as in the PyTorch reference; the one-pass update unless measuring the baseline.
  const optimizer = options.baseline ? tf.train.adam(1e-3) : createFusedAdam(1e-3);
  const params = model.model.trainableWeights.reduce((n, w) => n + w.shape.reduce((a: number, b) => a * (b ?? 1), 1), 0);
  const losses: number[] = [];
  const step = (i: number): void => {
    const loss = optimizer.minimize(() => totalLoss(model, batches[i % 4]!), true)!;
    losses.push(loss.dataSync()[0]!);
    loss.dispose();
  };
  try {
    for (let i = 0; i < warmup; i++) step(i);
    const stepMs: number[] = [];
    const trainStart = performance.now();
    for (let i = 0; i < steps; i++) {
      const t = performance.now();
      step(warmup + i);
      const ms = performance.now() - t;
      stepMs.push(ms);
      options.onStep?.(i, ms);
    }
    const trainSec = (performance.now() - trainStart) / 1000;

    const probKeys = model.spec.outputs.filter((k) => k.startsWith('prob:'));
    const inferMs: number[] = [];
    const infer = (i: number): void => {
      const probs = tf.tidy(() => {
        const out = model.forward({ categorical: batches[i % 4]!.ids }, false);
        return probKeys.map((k) => out[k]!);
      });
      for (const p of probs) p.dataSync();
      tf.dispose(probs);
    };
    for (let i = 0; i < 2; i++) infer(i);
    const inferBatches = Math.max(10, steps);
    const inferStart = performance.now();
    for (let i = 0; i < inferBatches; i++) {
      const t = performance.now();
      infer(i);
      inferMs.push(performance.now() - t);
    }
    const inferSec = (performance.now() - inferStart) / 1000;

    return {
      backend: tf.getBackend() ?? engine.backend,
      model: kind,
      threads: engine.wasmThreads ?? 1,
      mmoeBlock,
      batch: rows,
      steps,
      params,
      trainSamplesPerSec: Math.round((rows * steps) / trainSec),
      inferSamplesPerSec: Math.round((rows * inferBatches) / inferSec),
      msPerStep: Math.round(median(stepMs) * 10) / 10,
      bestTrainSamplesPerSec: Math.round((rows * 1000) / Math.min(...stepMs)),
      bestInferSamplesPerSec: Math.round((rows * 1000) / Math.min(...inferMs)),
      lossFirst: Math.round(losses[0]! * 1e4) / 1e4,
      lossLast: Math.round(losses[losses.length - 1]! * 1e4) / 1e4,
      peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    };
  } finally {
    optimizer.dispose();
    for (const b of batches) tf.dispose([b.ids, ...Object.values(b.labels), ...Object.values(b.masks)]);
    model.dispose();
  }
}
