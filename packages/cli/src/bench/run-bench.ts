import * as tf from '@tensorflow/tfjs-core';
import { createLossWeighting, createOptimizer, initEngine, tableInputs, TrainStep, type ModelInputs } from '@ektm/core';
import { countParameters } from '../util/count-parameters.js';
import {
  buildReferenceModel,
  REFERENCE_WORKLOAD,
  referenceTaskNames,
  type BenchModelName,
  type BenchModelSpec,
} from './reference-model.js';
import { syntheticBatches } from './synthetic-batches.js';
import { ConfigError } from '@ektm/core';
import { machineInfo, type MachineInfo } from './machine-info.js';
import { KernelTimer, measurePeakGflops, STEP_PARTS, type StepPart, type StepProfile } from './step-profile.js';

/** Options of {@link runBench}. */
export interface BenchOptions {
  /**
   * Which model: a registry name (built with the bench sizes, see `BENCH_SIZES`), or a spec with its own builder
   * options (`ektm bench --config`). Default `mmoe`, the PyTorch reference's model.
   */
  model?: BenchModelName | BenchModelSpec;
  /** Tasks of the workload, 2 to 8 (`ctr`, `cvr`, `cvr2`, …). Default 2, as the PyTorch reference. */
  tasks?: number;
  /**
   * Training steps to profile after the timed ones, with every kernel wrapped by a timer (see `StepProfile`);
   * 0 profiles nothing. The throughput figures never include profiled steps. Default 0.
   */
  profileSteps?: number;
  /** Timed training steps. Default 20 (as the PyTorch reference). */
  steps?: number;
  /** Untimed training steps first (kernel setup, heap growth); inference always warms up on 2 batches. Default 3. */
  warmup?: number;
  /** Timed inference batches. Default max(10, steps). */
  inferBatches?: number;
  /** Rows per step. Default 2048 (the reference). */
  batchSize?: number;
  /**
   * XNNPACK threads of the wasm backend (`initEngine({ wasmThreads })`). Only takes effect when the engine is not
   * initialised yet in this process (the result's `threads` says what ran). Default: `EKTM_WASM_THREADS`, else 1.
   */
  threads?: number;
  /** Receives progress lines. Default: silent. */
  log?: (line: string) => void;
}

/** What `ektm bench` reports; the first six keys are its stable JSON shape. */
export interface BenchResult {
  /** TensorFlow.js backend that ran (`wasm`, `cpu`, `tensorflow`). */
  backend: string;
  /** Registry name of the model. */
  model: BenchModelName;
  /** Training rows per second over the timed steps (forward, backward, Adam update, losses read back). */
  trainSamplesPerSec: number;
  /** Inference rows per second (forward, probabilities read back). */
  inferSamplesPerSec: number;
  /** Median duration of a timed training step, ms. */
  msPerStep: number;
  /** Peak resident memory of the process, MB. */
  peakRssMB: number;
  /**
   * Training rows per CPU-second of this process (all its threads): less disturbed than wall time when other jobs
   * share the cores, and with one thread a per-core measure (thread pools that spin while waiting inflate it).
   */
  trainSamplesPerCpuSec: number;
  /** Inference rows per CPU-second; see `trainSamplesPerCpuSec`. */
  inferSamplesPerCpuSec: number;
  /** XNNPACK threads of the wasm backend (1 on other backends). */
  threads: number;
  /** Throughputs of the fastest training step and inference batch: less disturbed by other jobs on a busy machine. */
  bestTrainSamplesPerSec: number;
  /** See `bestTrainSamplesPerSec`. */
  bestInferSamplesPerSec: number;
  /** Total loss of the first (warm-up included) and the last training step: a check that it trains. */
  lossFirst: number;
  /** See `lossFirst`. */
  lossLast: number;
  /** Trainable parameters. */
  parameters: number;
  /** Rows per step. */
  batchSize: number;
  /** Timed training steps. */
  steps: number;
  /** Untimed warm-up steps. */
  warmup: number;
  /** Timed inference batches. */
  inferBatches: number;
  /** Tasks of the workload. */
  tasks: string[];
  /** The machine, its load average at the start. */
  machine: MachineInfo;
  /** 1-minute load average at the end of the run. */
  loadAverageEnd: number;
  /** Where a training step goes, when `profileSteps` > 0. */
  profile?: StepProfile;
}

/** Distinct synthetic batches cycled through (uploaded per step, as the trainer does). */
const BATCH_POOL = 4;

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function positiveInteger(name: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) throw new ConfigError(`bench: ${name} ${value} must be an integer >= ${min}`, name);
  return value;
}

/**
 * Measures training and inference throughput of the reference model (see `REFERENCE_WORKLOAD`) on the running
 * engine, with the workload of `../shared/bench/torch_mmoe.py` so that the two compare as a ratio on one
 * machine (`bench/side-by-side.mjs`): `warmup` + `steps` steps of `@ektm/core`'s `TrainStep`, the trainer's own (Adam
 * 1e-3, the fused one-pass update) on synthetic batches, then 2 + `inferBatches` forward passes. Initialises the
 * engine (`initEngine`, so `EKTM_BACKEND` applies) if nobody has.
 */
export async function runBench(options: BenchOptions = {}): Promise<BenchResult> {
  const spec: BenchModelSpec =
    typeof options.model === 'object'
      ? { tasks: options.tasks, ...options.model }
      : { model: options.model ?? 'mmoe', tasks: options.tasks };
  const name = spec.model;
  const profileSteps = positiveInteger('profileSteps', options.profileSteps ?? 0, 0);
  const machine = machineInfo();
  const steps = positiveInteger('steps', options.steps ?? 20, 1);
  const warmup = positiveInteger('warmup', options.warmup ?? 3, 0);
  const inferBatches = positiveInteger('inferBatches', options.inferBatches ?? Math.max(10, steps), 1);
  const batchSize = positiveInteger('batchSize', options.batchSize ?? REFERENCE_WORKLOAD.batchSize, 1);
  const log = options.log ?? (() => undefined);
  const engine = await initEngine({ quiet: true, ...(options.threads !== undefined ? { wasmThreads: options.threads } : {}) });
  const threads = engine.wasmThreads ?? 1;
  const model = buildReferenceModel(spec);
  // The workload's labels first (label k as the PyTorch reference's), then any other label the model reads.
  const tasks = [...new Set([...referenceTaskNames(spec.tasks), ...model.spec.tasks.map((t) => t.label)])];
  const batches = syntheticBatches({
    count: BATCH_POOL,
    rows: batchSize,
    fields: REFERENCE_WORKLOAD.fields,
    vocabularySize: REFERENCE_WORKLOAD.vocabularySize,
    tasks,
  });
  const terms = model.spec.lossTerms;
  const weighting = createLossWeighting(
    'fixed',
    terms,
    terms.map((t) => t.weight),
  );
  const optimizer = createOptimizer('adam', REFERENCE_WORKLOAD.learningRate);
  const inputs: ModelInputs[] = [];
  try {
    const parameters = countParameters(model);
    log(
      `bench ${name}: ${parameters} parameters, batch ${batchSize}, backend ${engine.backend}${threads > 1 ? ` with ${threads} threads` : ''}`,
    );
    const step = new TrainStep(model, terms, weighting, optimizer, { weightDecay: 0, learningRate: REFERENCE_WORKLOAD.learningRate });
    const losses: number[] = [];
    // Reads back with await data(): the webgpu backend cannot read synchronously in Node.
    const trainOnce = async (i: number): Promise<void> => {
      const values = step.run(batches[i % BATCH_POOL]!);
      const data = await values.data();
      losses.push(data[data.length - 1]!);
      values.dispose();
    };
    for (let i = 0; i < warmup; i++) await trainOnce(i);
    const stepMs: number[] = [];
    const trainCpu = process.cpuUsage();
    const trainStart = performance.now();
    for (let i = 0; i < steps; i++) {
      const t = performance.now();
      await trainOnce(warmup + i);
      stepMs.push(performance.now() - t);
    }
    const trainMs = performance.now() - trainStart;
    const trainCpuMs = cpuMsSince(trainCpu);
    log(
      `train: ${steps} steps in ${(trainMs / 1000).toFixed(2)} s, loss ${losses[0]!.toFixed(4)} → ${losses[losses.length - 1]!.toFixed(4)}`,
    );

    // Inference on inputs uploaded once, as the PyTorch reference does: forward, read the probabilities back.
    for (const batch of batches) inputs.push(tableInputs(batch));
    const probKeys = model.spec.outputs.filter((k) => k.startsWith('prob:'));
    const inferOnce = async (i: number): Promise<void> => {
      const probs = tf.tidy(() => {
        const out = model.forward(inputs[i % BATCH_POOL]!, false);
        return probKeys.map((k) => out[k]!);
      });
      await Promise.all(probs.map((p) => p.data()));
      tf.dispose(probs);
    };
    for (let i = 0; i < 2; i++) await inferOnce(i);
    const inferMs: number[] = [];
    const inferCpu = process.cpuUsage();
    const inferStart = performance.now();
    for (let i = 0; i < inferBatches; i++) {
      const t = performance.now();
      await inferOnce(i);
      inferMs.push(performance.now() - t);
    }
    const inferTotalMs = performance.now() - inferStart;
    const inferCpuMs = cpuMsSince(inferCpu);
    log(`inference: ${inferBatches} batches in ${(inferTotalMs / 1000).toFixed(2)} s`);
    const profile = profileSteps > 0 ? await profileTraining(profileSteps, (i) => trainOnce(warmup + steps + i), optimizer) : undefined;
    return {
      backend: tf.getBackend() ?? engine.backend,
      model: name,
      trainSamplesPerSec: Math.round((batchSize * steps) / (trainMs / 1000)),
      inferSamplesPerSec: Math.round((batchSize * inferBatches) / (inferTotalMs / 1000)),
      msPerStep: Math.round(median(stepMs) * 10) / 10,
      peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
      trainSamplesPerCpuSec: Math.round((batchSize * steps) / (trainCpuMs / 1000)),
      inferSamplesPerCpuSec: Math.round((batchSize * inferBatches) / (inferCpuMs / 1000)),
      threads,
      bestTrainSamplesPerSec: Math.round((batchSize * 1000) / Math.min(...stepMs)),
      bestInferSamplesPerSec: Math.round((batchSize * 1000) / Math.min(...inferMs)),
      lossFirst: Math.round(losses[0]! * 1e4) / 1e4,
      lossLast: Math.round(losses[losses.length - 1]! * 1e4) / 1e4,
      parameters,
      batchSize,
      steps,
      warmup,
      inferBatches,
      tasks: model.spec.tasks.map((t) => t.name),
      machine,
      loadAverageEnd: machineInfo().loadAverage,
      ...(profile ? { profile } : {}),
    };
  } finally {
    for (const x of inputs) tf.dispose([x.categorical, ...(x.numeric ? [x.numeric] : [])]);
    optimizer.dispose();
    weighting.dispose();
    model.dispose();
  }
}

/** Runs `steps` more training steps with every kernel timed, and splits a step into its parts. */
async function profileTraining(
  steps: number,
  trainOnce: (i: number) => Promise<void>,
  optimizer: { applyGradients: (...args: never[]) => void },
): Promise<StepProfile> {
  const timer = new KernelTimer().install();
  // Kernels inside the optimizer's update are filed under it, whatever they are.
  const own = Object.prototype.hasOwnProperty.call(optimizer, 'applyGradients');
  const apply = optimizer.applyGradients;
  optimizer.applyGradients = (...args: never[]) => {
    timer.phase('optimizer');
    try {
      apply.apply(optimizer, args);
    } finally {
      timer.phase('step');
    }
  };
  const stepMs: number[] = [];
  let totalMs = 0;
  try {
    await trainOnce(0); // the wrapped kernels' first calls
    timer.reset();
    for (let i = 1; i <= steps; i++) {
      const start = performance.now();
      await trainOnce(i);
      const ms = performance.now() - start;
      stepMs.push(ms);
      totalMs += ms;
    }
  } finally {
    if (own) optimizer.applyGradients = apply;
    else delete (optimizer as { applyGradients?: unknown }).applyGradients;
    timer.uninstall();
  }
  const parts = Object.fromEntries(STEP_PARTS.map((p) => [p, 0])) as Record<StepPart, number>;
  let kernelMs = 0;
  for (const k of timer.kernels()) {
    parts[k.part] += k.ms / steps;
    kernelMs += k.ms;
  }
  // Time outside every kernel (autodiff bookkeeping, JavaScript between kernels) is part of the rest.
  parts.rest += Math.max(0, totalMs - kernelMs) / steps;
  for (const p of STEP_PARTS) parts[p] = round1(parts[p]);
  const productGflop = timer.productFlops / steps / 1e9;
  const peakGflops = await measurePeakGflops();
  return {
    steps,
    stepMs: round1(median(stepMs)),
    parts,
    productGflop: Math.round(productGflop * 1000) / 1000,
    productGflops: round1(parts.matmul > 0 ? productGflop / (parts.matmul / 1000) : 0),
    peakGflops: round1(peakGflops),
    lowerBoundMs: round1((productGflop / peakGflops) * 1000),
    topKernels: timer
      .kernels()
      .slice(0, 12)
      .map((k) => ({ ...k, ms: round1(k.ms / steps), calls: k.calls / steps })),
  };
}

/** CPU milliseconds (user + system, every thread of the process) since `start`. */
function cpuMsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
