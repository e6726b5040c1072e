import { initEngine, train, type MultiTaskModel } from '@ektm/core';
import { BASELINES } from '@ektm/baselines';
import { EKTM_MODELS } from '@ektm/model';
import { countParameters } from '../util/count-parameters.js';
import { BENCH_MODELS, REFERENCE_WORKLOAD, referenceFeatures, referenceTable, referenceTasks, type BenchModelName } from './reference-model.js';

/** Options of {@link runBench}. */
export interface BenchOptions {
  /** Which reference model. Default `mmoe`. */
  model?: BenchModelName;
  /** Timed training steps (after one warm-up step). Default 10. */
  trainSteps?: number;
  /** Timed inference batches (after one warm-up batch). Default 10. */
  inferBatches?: number;
  /** Rows per step. Default 2048 (the reference). */
  batchSize?: number;
  /** Receives progress lines. Default: silent. */
  log?: (line: string) => void;
}

/** What `ektm bench` reports; the first five keys are its stable JSON shape. */
export interface BenchResult {
  /** TensorFlow.js backend that ran. */
  backend: string;
  /** `mmoe` or `ektm`. */
  model: BenchModelName;
  /** Training rows per second (forward, backward, Adam update). */
  trainSamplesPerSec: number;
  /** Inference rows per second. */
  inferSamplesPerSec: number;
  /** Peak resident memory of the process, MB. */
  peakRssMB: number;
  /** Milliseconds per training step. */
  msPerStep: number;
  /** Trainable parameters. */
  parameters: number;
  /** Rows per step. */
  batchSize: number;
  /** Timed training steps. */
  trainSteps: number;
}

/** Builds the reference model (see `REFERENCE_WORKLOAD`) with the registries' builders. */
export function buildReferenceModel(name: BenchModelName, seed = 0): MultiTaskModel {
  const features = referenceFeatures();
  const tasks = referenceTasks(name);
  const experts = { experts: REFERENCE_WORKLOAD.experts, expert: { units: [...REFERENCE_WORKLOAD.expertUnits] } };
  const tower = { units: [...REFERENCE_WORKLOAD.towerUnits] };
  const common = { features, tasks, seed, embeddingDim: REFERENCE_WORKLOAD.embeddingDim, tower };
  if (name === 'mmoe') return BASELINES.mmoe.build({ ...common, ...experts } as Parameters<typeof BASELINES.mmoe.build>[0]);
  return EKTM_MODELS.ektm!.build({ ...common, backbone: 'mmoe', backboneOptions: experts });
}

function peakRssMB(): number {
  return Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10;
}

/**
 * Measures training and inference throughput of the reference model on random rows: one warm-up step,
 * then `trainSteps` timed steps of Adam on BCE, then `inferBatches` timed prediction batches.
 */
export async function runBench(options: BenchOptions = {}): Promise<BenchResult> {
  const name = options.model ?? 'mmoe';
  if (!BENCH_MODELS.includes(name)) throw new Error(`model: "${name}" is not allowed; use ${BENCH_MODELS.join(', ')}`);
  const steps = options.trainSteps ?? 10;
  const batches = options.inferBatches ?? 10;
  const batchSize = options.batchSize ?? REFERENCE_WORKLOAD.batchSize;
  const log = options.log ?? (() => undefined);
  const engine = await initEngine({ quiet: true });
  const model = buildReferenceModel(name);
  try {
    const tasks = referenceTasks(name);
    const parameters = countParameters(model);
    log(`bench ${name}: ${parameters} parameters, batch ${batchSize}, backend ${engine.backend}`);
    const warm = referenceTable(batchSize, tasks, 7);
    await train(model, { train: warm, epochs: 1, batchSize, learningRate: REFERENCE_WORKLOAD.learningRate, progress: 'none' });
    const data = referenceTable(batchSize * steps, tasks, 11);
    const started = performance.now();
    await train(model, { train: data, epochs: 1, batchSize, learningRate: REFERENCE_WORKLOAD.learningRate, progress: 'none' });
    const trainMs = performance.now() - started;
    log(`train: ${steps} steps in ${(trainMs / 1000).toFixed(2)} s`);
    const inferData = referenceTable(batchSize * batches, tasks, 13);
    model.predict(referenceTable(batchSize, tasks, 17), { batchSize });
    const inferStart = performance.now();
    model.predict(inferData, { batchSize });
    const inferMs = performance.now() - inferStart;
    log(`inference: ${batches} batches in ${(inferMs / 1000).toFixed(2)} s`);
    return {
      backend: engine.backend,
      model: name,
      trainSamplesPerSec: Math.round((batchSize * steps) / (trainMs / 1000)),
      inferSamplesPerSec: Math.round((batchSize * batches) / (inferMs / 1000)),
      peakRssMB: peakRssMB(),
      msPerStep: Math.round((trainMs / steps) * 10) / 10,
      parameters,
      batchSize,
      trainSteps: steps,
    };
  } finally {
    model.dispose();
  }
}
