import {
  buildMultiTaskModel,
  COMMON_MODEL_OPTION_SCHEMA,
  validateOptions,
  type BlockOption,
  type DenseStackOptions,
  type FeatureSpec,
  type MultiTaskModel,
  type TaskSpec,
} from '@ektm/core';
import { ektmBackbone, type EktmBackboneName, type EktmBackboneOptions } from './ektm-backbone.js';
import { ektmBlocks, type EktmEnhancerOptions, type EktmRouterOptions, type EktmTransmitterOptions } from './ektm-blocks.js';
import { EKTM_OPTION_SCHEMA } from './ektm-option-schema.js';
import { inferEktmRoles } from './ektm-roles.js';
import { ConfigError } from '@ektm/core';

/** The ablation switches of the reference model; each turns one EKTM part off or to its plainest form. */
export interface EktmAblations {
  /** `false`: no router; each transmitter reads the task's own representation (F_i := f_i). */
  router?: false;
  /** `uniform`: the router weights every target equally (ŝ = 1/T): integration without similarity. */
  similarity?: 'uniform';
  /** `identity`: transmitters pass F_i through unchanged. */
  transmitter?: 'identity';
  /** `false`: no enhancer; the transmitted knowledge replaces the representation, no original head or enhancement loss. */
  enhancer?: false;
}

/** Options of {@link buildEktm}. */
export interface EktmModelOptions {
  /** Input features (from a dataset). */
  features: FeatureSpec[];
  /** Tasks, in output order (plain, `parent` for the clicked space, `product` for ESMM-style entire space). */
  tasks: TaskSpec[];
  /** Broad source tasks. Default: inferred (see `inferEktmRoles`: parents and first product factors, else the first task). */
  sources?: string[];
  /** Target (CVR) tasks. Default: every other task with a tower. */
  targets?: string[];
  /** Backbone by name, or any block/factory that writes one representation per tower task. Default `shared-bottom`. */
  backbone?: EktmBackboneName | BlockOption;
  /** Sizes of a named backbone. */
  backboneOptions?: EktmBackboneOptions;
  /** Towers of every task. Default `{ units: [32] }`. */
  tower?: Partial<DenseStackOptions>;
  /** Router options. Default: cosine similarity, learnable temperature 1, self term included. */
  router?: EktmRouterOptions;
  /** Transmitter options. Default: gated MLP as wide as the task representation. */
  transmitter?: EktmTransmitterOptions;
  /** Enhancer options. Default: gated residual, original head as deep as the towers, hinge with weight 1. */
  enhancer?: EktmEnhancerOptions;
  /** Ablation switches. Default none. */
  ablations?: EktmAblations;
  /** Default embedding dimension. Default 8. */
  embeddingDim?: number;
  /** Seed of every initializer. Default 0. */
  seed?: number;
  /** Model name. Default `ektm`. */
  name?: string;
}

const DEFAULT_TOWER = { units: [32] };

/**
 * The reference EKTM model: features → embeddings → backbone (shared-bottom, MMoE or PLE) → router →
 * a transmitter and an enhancer per target task → towers (→ product heads for ESMM-style tasks). Works in the
 * parallel pattern (several targets side by side) and the sequential one (a target in its parent's clicked
 * space, or inside an entire-space product), and records its options in `spec.architecture`.
 */
export function buildEktm(options: EktmModelOptions): MultiTaskModel {
  if (!options || typeof options !== 'object') throw new ConfigError('buildEktm: options object required');
  validateOptions({ ...COMMON_MODEL_OPTION_SCHEMA, ...EKTM_OPTION_SCHEMA }, options, 'buildEktm');
  const roles = inferEktmRoles(options.tasks, { sources: options.sources, targets: options.targets });
  // The option schema has checked every switch (ablations.router: false, ...).
  const ablations: EktmAblations = { ...options.ablations };
  const tower = { ...DEFAULT_TOWER, ...options.tower };
  const backbone = options.backbone ?? 'shared-bottom';
  const router: EktmRouterOptions | false =
    ablations.router === false ? false : { ...options.router, ...(ablations.similarity ? { similarity: ablations.similarity } : {}) };
  const transmitter: EktmTransmitterOptions = { ...options.transmitter, ...(ablations.transmitter ? { kind: ablations.transmitter } : {}) };
  const enhancer: EktmEnhancerOptions | false = ablations.enhancer === false ? false : { originalHidden: tower.units, ...options.enhancer };
  return buildMultiTaskModel({
    name: options.name ?? 'ektm',
    features: options.features,
    embeddingDim: options.embeddingDim,
    tasks: options.tasks,
    backbone: typeof backbone === 'string' ? ektmBackbone(backbone, options.backboneOptions) : backbone,
    blocks: ektmBlocks({ ...roles, router, transmitter, enhancer }),
    tower,
    seed: options.seed,
    architecture: jsonSafe({
      model: 'ektm',
      backbone: typeof backbone === 'string' ? backbone : 'custom',
      backboneOptions: options.backboneOptions ?? {},
      ...roles,
      router,
      transmitter,
      enhancer,
      tower,
      ablations,
    }),
  });
}

function jsonSafe(value: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
}
