import * as tf from '@tensorflow/tfjs-core';
import { createLossWeighting, createOptimizer, initEngine, tableInputs, TrainStep, type ModelInputs } from '@ektm/core';
import { countParameters } from '../util/count-parameters.js';
import { BENCH_MODELS, buildReferenceModel, REFERENCE_WORKLOAD, referenceTasks, type BenchModelName } from './reference-model.js';
import { syntheticBatches } from './synthetic-batches.js';
import { ConfigError } from '@ektm/core';

/** Options of {@link runBench}. */
export interface BenchOptions {
  /** Which reference model. Default `mmoe`. */
  model?: BenchModelName;
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
  /** `mmoe` or `ektm`. */
  model: BenchModelName;
  /** Training rows per second over the timed steps (forward, backward, Adam update, losses read back). */
  trainSamplesPerSec: number;
  /** Inference rows per second (forward, probabilities read back). */
  inferSamplesPerSec: number;
  /** Median duration of a timed training step, ms. */
  msPerStep: number;
  /** Peak resident memory of the process, MB. */
  peakRssMB: number;
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
  const name = options.model ?? 'mmoe';
  if (!BENCH_MODELS.includes(name)) throw new ConfigError(`bench: model "${name}" is not allowed; use ${BENCH_MODELS.join(', ')}`, 'model');
  const steps = positiveInteger('steps', options.steps ?? 20, 1);
  const warmup = positiveInteger('warmup', options.warmup ?? 3, 0);
  const inferBatches = positiveInteger('inferBatches', options.inferBatches ?? Math.max(10, steps), 1);
  const batchSize = positiveInteger('batchSize', options.batchSize ?? REFERENCE_WORKLOAD.batchSize, 1);
  const log = options.log ?? (() => undefined);
  const engine = await initEngine({ quiet: true, ...(options.threads !== undefined ? { wasmThreads: options.threads } : {}) });
  const threads = engine.wasmThreads ?? 1;
  const tasks = referenceTasks(name).map((t) => t.name);
  const batches = syntheticBatches({
    count: BATCH_POOL,
    rows: batchSize,
    fields: REFERENCE_WORKLOAD.fields,
    vocabularySize: REFERENCE_WORKLOAD.vocabularySize,
    tasks,
  });
  const model = buildReferenceModel(name);
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
    const trainOnce = (i: number): void => {
      const values = step.run(batches[i % BATCH_POOL]!);
      const data = values.dataSync();
      losses.push(data[data.length - 1]!);
      values.dispose();
    };
    for (let i = 0; i < warmup; i++) trainOnce(i);
    const stepMs: number[] = [];
    const trainStart = performance.now();
    for (let i = 0; i < steps; i++) {
      const t = performance.now();
      trainOnce(warmup + i);
      stepMs.push(performance.now() - t);
    }
    const trainMs = performance.now() - trainStart;
    log(
      `train: ${steps} steps in ${(trainMs / 1000).toFixed(2)} s, loss ${losses[0]!.toFixed(4)} → ${losses[losses.length - 1]!.toFixed(4)}`,
    );

    // Inference on inputs uploaded once, as the PyTorch reference does: forward, read the probabilities back.
    for (const batch of batches) inputs.push(tableInputs(batch));
    const probKeys = model.spec.outputs.filter((k) => k.startsWith('prob:'));
    const inferOnce = (i: number): void => {
      const probs = tf.tidy(() => {
        const out = model.forward(inputs[i % BATCH_POOL]!, false);
        return probKeys.map((k) => out[k]!);
      });
      for (const p of probs) p.dataSync();
      tf.dispose(probs);
    };
    for (let i = 0; i < 2; i++) inferOnce(i);
    const inferMs: number[] = [];
    const inferStart = performance.now();
    for (let i = 0; i < inferBatches; i++) {
      const t = performance.now();
      inferOnce(i);
      inferMs.push(performance.now() - t);
    }
    const inferTotalMs = performance.now() - inferStart;
    log(`inference: ${inferBatches} batches in ${(inferTotalMs / 1000).toFixed(2)} s`);
    return {
      backend: tf.getBackend() ?? engine.backend,
      model: name,
      trainSamplesPerSec: Math.round((batchSize * steps) / (trainMs / 1000)),
      inferSamplesPerSec: Math.round((batchSize * inferBatches) / (inferTotalMs / 1000)),
      msPerStep: Math.round(median(stepMs) * 10) / 10,
      peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
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
    };
  } finally {
    for (const x of inputs) tf.dispose([x.categorical, ...(x.numeric ? [x.numeric] : [])]);
    optimizer.dispose();
    weighting.dispose();
    model.dispose();
  }
}
