import type { EncodedTable, FeatureSpec, TaskSpec } from '@ektm/core';

/** The models `ektm bench` measures. */
export type BenchModelName = 'mmoe' | 'ektm';

/** Every {@link BenchModelName}. */
export const BENCH_MODELS: readonly BenchModelName[] = ['mmoe', 'ektm'];

/** The sizes of the reference workload. */
export interface ReferenceWorkload {
  /** Categorical fields. */
  readonly fields: number;
  /** Vocabulary of every field. */
  readonly vocabularySize: number;
  /** Embedding dimension. */
  readonly embeddingDim: number;
  /** Experts of the MMoE. */
  readonly experts: number;
  /** Layers of every expert. */
  readonly expertUnits: readonly number[];
  /** Hidden layers of every tower. */
  readonly towerUnits: readonly number[];
  /** Adam learning rate. */
  readonly learningRate: number;
  /** Rows per step. */
  readonly batchSize: number;
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
  return Array.from({ length: REFERENCE_WORKLOAD.fields }, (_, i) => ({ name: `f${i}`, type: 'categorical' as const, vocabularySize: REFERENCE_WORKLOAD.vocabularySize }));
}

/** The tasks: MMoE has 2 (two gates, two towers); EKTM has 1 source and 3 targets. */
export function referenceTasks(model: BenchModelName): TaskSpec[] {
  return model === 'mmoe' ? [{ name: 'ctr' }, { name: 'cvr' }] : [{ name: 'click' }, { name: 'buy' }, { name: 'cart' }, { name: 'like' }];
}

/** Random rows for the workload (uniform indices, Bernoulli(0.3) labels), from a fixed linear congruential stream. */
export function referenceTable(rows: number, tasks: readonly TaskSpec[], seed = 1): EncodedTable {
  let state = seed >>> 0 || 1;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
  const { fields, vocabularySize } = REFERENCE_WORKLOAD;
  const categorical = new Int32Array(rows * fields);
  for (let i = 0; i < categorical.length; i++) categorical[i] = Math.floor(next() * vocabularySize);
  const labels: Record<string, Float32Array> = {};
  for (const t of tasks) labels[t.name] = Float32Array.from({ length: rows }, () => (next() < 0.3 ? 1 : 0));
  return { rows, categorical, categoricalCount: fields, numeric: new Float32Array(0), numericCount: 0, labels };
}
