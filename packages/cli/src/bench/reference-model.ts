import type { FeatureSpec, MultiTaskModel, TaskSpec } from '@ektm/core';
import { MODELS } from '../models/models.js';
import type { StepHyperparameters } from '../util/training-hyperparameters.js';

/** The reference workloads `ektm bench` measures, by the registry name of their model (the PyTorch script has the same two). */
export type BenchModelName = 'mmoe' | 'ektm';

/** Every {@link BenchModelName}. */
export const BENCH_MODELS: readonly BenchModelName[] = ['mmoe', 'ektm'];

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
}

/**
 * The reference workload, fixed so that numbers compare across machines and engines (the same model as
 * `../shared/bench/torch_mmoe.py`): 20 categorical fields × vocabulary 10,000 × dimension 8, 4 experts
 * [256, 128], softmax gates, towers [64], sigmoid heads, BCE, Adam 1e-3, batch 2048.
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
};

/** The 20 categorical features of the reference workload. */
export function referenceFeatures(): FeatureSpec[] {
  return Array.from({ length: REFERENCE_WORKLOAD.fields }, (_, i) => ({
    name: `f${i}`,
    type: 'categorical' as const,
    vocabularySize: REFERENCE_WORKLOAD.vocabularySize,
  }));
}

/** The tasks: MMoE has 2 (two gates, two towers, as the PyTorch reference); EKTM has 1 source and 3 targets. */
export function referenceTasks(model: BenchModelName): TaskSpec[] {
  return model === 'mmoe' ? [{ name: 'ctr' }, { name: 'cvr' }] : [{ name: 'click' }, { name: 'buy' }, { name: 'cart' }, { name: 'like' }];
}

/**
 * Builds the reference model from the model registry: `@ektm/baselines`' MMoE (`MixtureOfExperts`, one
 * softmax gate per task), or EKTM (`@ektm/model`: router, transmitters, enhancers) on that MMoE as its backbone.
 */
export function buildReferenceModel(name: BenchModelName, seed = 0): MultiTaskModel {
  const features = referenceFeatures();
  const tasks = referenceTasks(name);
  const experts = { experts: REFERENCE_WORKLOAD.experts, expert: { units: [...REFERENCE_WORKLOAD.expertUnits] } };
  const tower = { units: [...REFERENCE_WORKLOAD.towerUnits] };
  const common = { features, tasks, seed, embeddingDim: REFERENCE_WORKLOAD.embeddingDim, tower };
  if (name === 'mmoe') return MODELS.build('mmoe', { ...common, ...experts });
  return MODELS.build('ektm', { ...common, backbone: 'mmoe', backboneOptions: experts });
}
