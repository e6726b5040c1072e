import { BASELINES } from '@ektm/baselines';
import type { FeatureSpec, MultiTaskModel, TaskSpec } from '@ektm/core';
import { EKTM_MODELS } from '@ektm/model';
import { FUNNEL_MODELS, funnelChoice, type FunnelChoice } from './funnel-defaults.js';

/** What every registered model builder receives from the CLI. */
export interface CliModelOptions {
  /** Input features of the dataset. */
  features: FeatureSpec[];
  /** Tasks of the dataset's task set. */
  tasks: TaskSpec[];
  /** Seed of the initialisers. */
  seed: number;
  /** Embedding dimension. Default 8. */
  embeddingDim?: number;
}

/** One model the CLI can build, by name. */
export interface CliModelEntry {
  /** The name used on the command line (`mmoe`, `ektm-no-router`). */
  name: string;
  /** One line for `--help` and reports. */
  description: string;
  /** `baseline` (from @ektm/baselines) or `ektm` (the method and its ablations, from @ektm/model). */
  family: 'baseline' | 'ektm';
  /** Builds a fresh model. */
  build(options: CliModelOptions): MultiTaskModel;
}

interface RegistryLike {
  [name: string]: { description: string; build(options: never): MultiTaskModel };
}

function entries(registry: RegistryLike, family: CliModelEntry['family']): CliModelEntry[] {
  return Object.entries(registry).map(([name, entry]) => ({
    name,
    description: entry.description,
    family,
    build: (options: CliModelOptions) => {
      const build = entry.build as (o: CliModelOptions & Partial<FunnelChoice>) => MultiTaskModel;
      const funnel = FUNNEL_MODELS.includes(name) ? funnelChoice(options.tasks) : undefined;
      return build(funnel ? { ...options, click: funnel.click, conversion: funnel.conversion, cvrTask: funnel.cvrTask } : options);
    },
  }));
}

/** Every model the CLI knows: the baselines, then EKTM and its ablations. The same names in every command. */
export function modelRegistry(): CliModelEntry[] {
  return [...entries(BASELINES as unknown as RegistryLike, 'baseline'), ...entries(EKTM_MODELS as unknown as RegistryLike, 'ektm')];
}

/** Names accepted by `--model` / `--models`. */
export function modelNames(): string[] {
  return modelRegistry().map((m) => m.name);
}

/** The main models of the comparison `npm start` runs. */
export const MAIN_MODELS: readonly string[] = ['single-task', 'shared-bottom', 'mmoe', 'ple', 'esmm', 'aitm', 'ektm'];

/** The registry entry of a model name; throws listing the known names. */
export function findModel(name: string): CliModelEntry {
  const entry = modelRegistry().find((m) => m.name === name);
  if (!entry) throw new Error(`unknown model "${name}"; models are ${modelNames().join(', ')}`);
  return entry;
}
