import type { FeatureSpec, MultiTaskModel, TaskSpec } from '@ektm/core';
import { ConfigError } from '@ektm/core';
import { MODELS } from '../models/models.js';
import type { StepHyperparameters } from '../util/training-hyperparameters.js';
import { BENCH_SIZES, BENCH_TOWER } from './bench-sizes.js';

/** A model `ektm bench` measures: any name of the model registry (`MODELS.names()`). */
export type BenchModelName = string;

/** Every model `ektm bench` can measure: the whole registry, baselines then EKTM and its variants. */
export const BENCH_MODELS: readonly BenchModelName[] = MODELS.names();

/** The sizes of the reference workload. */
export interface ReferenceWorkload extends StepHyperparameters {
  /** Categorical fields. */
  readonly fields: number;
  /** Vocabulary of every field. */
  readonly vocabularySize: number;
  /** Experts of the MMoE. */
  readonly experts: number;
  /** Layers of every expert. */
  readonly expertUnits: readonly number[];
  /** Hidden layers of every tower. */
  readonly towerUnits: readonly number[];
  /** Tasks of the workload (the reference's two labels; `--tasks` adds conversions). */
  readonly tasks: number;
}

/**
 * The reference workload, fixed so that numbers compare across machines and engines (the same model as
 * `bench/torch_models.py --model mmoe`): 20 categorical fields × vocabulary 10,000 × dimension 8, 4 experts
 * [256, 128], softmax gates, towers [64], sigmoid heads, BCE, Adam 1e-3, batch 2048, 2 tasks.
 */
export const REFERENCE_WORKLOAD: ReferenceWorkload = {
  fields: 20,
  vocabularySize: 10_000,
  embeddingDim: 8,
  experts: 4,
  expertUnits: [256, 128],
  towerUnits: [64],
  learningRate: 1e-3,
  batchSize: 2048,
  tasks: 2,
};

/** Most tasks `ektm bench --tasks` accepts. */
export const MAX_BENCH_TASKS = 8;

/** The 20 categorical features of the reference workload. */
export function referenceFeatures(): FeatureSpec[] {
  return Array.from({ length: REFERENCE_WORKLOAD.fields }, (_, i) => ({
    name: `f${i}`,
    type: 'categorical' as const,
    vocabularySize: REFERENCE_WORKLOAD.vocabularySize,
  }));
}

/** Task names of a workload with `count` tasks: `ctr`, `cvr`, then `cvr2`, `cvr3`, … (label k as in `syntheticBatches`). */
export function referenceTaskNames(count: number = REFERENCE_WORKLOAD.tasks): string[] {
  if (!Number.isInteger(count) || count < 2 || count > MAX_BENCH_TASKS) {
    throw new ConfigError(`bench: tasks ${count} must be an integer from 2 to ${MAX_BENCH_TASKS}`, 'tasks');
  }
  return Array.from({ length: count }, (_, k) => (k === 0 ? 'ctr' : k === 1 ? 'cvr' : `cvr${k}`));
}

/**
 * The tasks `model` is measured on: the workload's tasks side by side (`ctr`, `cvr`, …: the PyTorch reference's
 * labels), which every model with a tower per task runs on; the funnel models (ESMM, ESCM2), which need a click →
 * conversion funnel, get the conversions in the clicked space (`parent: 'ctr'`). EKTM infers `ctr` as its source.
 */
export function referenceTasks(model: BenchModelName, count: number = REFERENCE_WORKLOAD.tasks): TaskSpec[] {
  const names = referenceTaskNames(count);
  const plain: TaskSpec[] = names.map((name) => ({ name }));
  if (!MODELS.has(model) || MODELS.get(model).supports(plain).ok) return plain;
  return names.map((name, k) => (k === 0 ? { name } : { name, parent: 'ctr' }));
}

/** How `ektm bench` builds a model: by registry name with the bench sizes, or from a config's own options. */
export interface BenchModelSpec {
  /** Registry name. */
  model: BenchModelName;
  /**
   * Builder options (besides features and tasks). Default: the bench sizes of `BENCH_SIZES` (the reference MMoE's
   * experts and towers); given (from `--config`), they are used as they are over the registry's defaults.
   */
  options?: Record<string, unknown>;
  /** Tasks. Default {@link REFERENCE_WORKLOAD}'s 2. */
  tasks?: number;
}

/**
 * Builds a bench model from the model registry on the reference workload: the model's planned options for the task
 * set (ESMM's funnel, …), then the bench sizes (or the given options), embedding dimension 8 and towers [64].
 */
export function buildReferenceModel(name: BenchModelName | BenchModelSpec, seed = 0): MultiTaskModel {
  const spec: BenchModelSpec = typeof name === 'string' ? { model: name } : name;
  if (!MODELS.has(spec.model)) {
    throw new ConfigError(`bench: model "${spec.model}" is not in the registry; use one of ${MODELS.names().join(', ')}`, 'model');
  }
  const tasks = referenceTasks(spec.model, spec.tasks);
  const plan = MODELS.plan(spec.model, tasks);
  if (!plan.ok)
    throw new ConfigError(`bench: ${spec.model} cannot run on tasks ${tasks.map((t) => t.name).join(', ')}: ${plan.reason}`, 'model');
  const sizes = spec.options ?? { tower: BENCH_TOWER, ...BENCH_SIZES[spec.model] };
  return MODELS.build(spec.model, {
    features: referenceFeatures(),
    tasks,
    seed,
    embeddingDim: REFERENCE_WORKLOAD.embeddingDim,
    ...plan.options,
    ...sizes,
  });
}
