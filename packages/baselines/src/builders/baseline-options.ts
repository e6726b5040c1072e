import type { DenseStackOptions, FeatureSpec, TaskSpec } from '@ektm/core';
import { ConfigError } from '@ektm/core';

/** Options every one-call baseline builder takes. */
export interface BaselineOptions {
  /** Input features (from a dataset). */
  features: FeatureSpec[];
  /** Tasks of the dataset, in output order. */
  tasks: TaskSpec[];
  /** Default embedding dimension. Default 8. */
  embeddingDim?: number;
  /** Seed of every initializer. Default 0. */
  seed?: number;
  /** The tower of every task (hidden layers before the sigmoid head). Default `{ units: [32] }`. */
  tower?: Partial<DenseStackOptions>;
  /** Model name, recorded with the saved model. Default: the baseline's registry name (`mmoe`, …). */
  name?: string;
}

/** Default tower of every baseline, the same as EKTM's so that comparisons differ only in the architecture. */
export const DEFAULT_BASELINE_TOWER: DenseStackOptions = { units: [32] };

/** Checks the options object itself; `builder` names the function in the error. */
export function requireOptions<T extends BaselineOptions>(options: T, builder: string): T {
  if (!options || typeof options !== 'object')
    throw new ConfigError(`${builder}: options object required ({ features, tasks, ... })`, builder);
  if (!Array.isArray(options.tasks)) throw new ConfigError(`${builder}: tasks must be an array of task specs`, builder);
  return options;
}

/** A JSON-safe copy (drops functions and undefined) for `spec.architecture`. */
export function jsonSafe(value: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
}
