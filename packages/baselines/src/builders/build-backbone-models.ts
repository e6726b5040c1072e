import { buildMultiTaskModel, type BlockOption, type MultiTaskModel } from '@ektm/core';
import type { ExpertOptions } from '../experts/batched-experts.js';
import { baselineBackbone, type BaselineBackboneName, type BaselineBackboneOptions } from './baseline-backbone.js';
import { DEFAULT_BASELINE_TOWER, jsonSafe, requireOptions, type BaselineOptions } from './baseline-options.js';

/** Options every backbone baseline takes besides its sizes: extra blocks between backbone and towers. */
export interface BackboneModelOptions extends BaselineOptions {
  /** Transfer blocks applied after the backbone (an EKTM router, a transmitter, your own). Default none. */
  blocks?: BlockOption[];
}

/** Options of {@link buildSingleTask}. */
export interface SingleTaskOptions extends BackboneModelOptions {
  /** The network of each task. Default `{ units: [128, 64] }`. */
  bottom?: ExpertOptions;
}

/** Options of {@link buildSharedBottom}. */
export interface SharedBottomOptions extends BackboneModelOptions {
  /** The shared network. Default `{ units: [128, 64] }`. */
  bottom?: ExpertOptions;
}

/** Options of {@link buildOmoe}. */
export interface OmoeOptions extends BackboneModelOptions {
  /** Number of experts. Default 4. */
  experts?: number;
  /** The network of each expert. Default `{ units: [64] }`. */
  expert?: ExpertOptions;
  /** Softmax temperature of the gate. Default 1. */
  gateTemperature?: number;
}

/** Options of {@link buildMmoe}. */
export interface MmoeOptions extends OmoeOptions {}

/** Options of {@link buildPle}. */
export interface PleOptions extends BackboneModelOptions {
  /** Extraction levels; 1 is CGC. Default 2. */
  levels?: number;
  /** Shared experts per level. Default 2. */
  sharedExperts?: number;
  /** Experts of each task per level. Default 2. */
  taskExperts?: number;
  /** The network of each expert. Default `{ units: [64] }`. */
  expert?: ExpertOptions;
  /** Softmax temperature of the gates. Default 1. */
  gateTemperature?: number;
}

function buildWithBackbone(model: BaselineBackboneName, options: BackboneModelOptions, sizes: BaselineBackboneOptions): MultiTaskModel {
  requireOptions(options, `build ${model}`);
  const tower = { ...DEFAULT_BASELINE_TOWER, ...options.tower };
  return buildMultiTaskModel({
    name: options.name ?? model,
    features: options.features,
    embeddingDim: options.embeddingDim,
    tasks: options.tasks,
    backbone: baselineBackbone(model, sizes),
    blocks: options.blocks,
    tower,
    seed: options.seed,
    architecture: jsonSafe({ model, backbone: model, backboneOptions: sizes, tower, extraBlocks: options.blocks?.length ?? 0 }),
  });
}

/**
 * Single-task baseline: one network per task over the shared embeddings, then its tower. Nothing is shared but
 * the embeddings, so it is the reference for negative transfer.
 *
 * @example
 * const model = buildSingleTask({ features: data.features, tasks: data.tasks, bottom: { units: [128, 64] } });
 */
export function buildSingleTask(options: SingleTaskOptions): MultiTaskModel {
  return buildWithBackbone('single-task', options, { bottom: options?.bottom });
}

/**
 * Shared-bottom (Caruana, "Multitask Learning", Machine Learning 28, 1997): one network shared by every task,
 * then a tower per task.
 *
 * @example
 * const model = buildSharedBottom({ features: data.features, tasks: data.tasks, bottom: { units: [128, 64] } });
 */
export function buildSharedBottom(options: SharedBottomOptions): MultiTaskModel {
  return buildWithBackbone('shared-bottom', options, { bottom: options?.bottom });
}

/**
 * OMoE, the one-gate mixture of experts (Ma et al., KDD 2018, the MMoE paper's baseline): every task gets the same
 * softmax-gated mixture of the experts. Reports `diag:omoe/gates` `[B, 1, E]`.
 *
 * @example
 * const model = buildOmoe({ features: data.features, tasks: data.tasks, experts: 4, expert: { units: [64] } });
 */
export function buildOmoe(options: OmoeOptions): MultiTaskModel {
  const { experts, expert, gateTemperature } = options ?? {};
  return buildWithBackbone('omoe', options, { experts, expert, gateTemperature });
}

/**
 * MMoE (Ma et al., "Modeling Task Relationships in Multi-task Learning with Multi-gate Mixture-of-Experts",
 * KDD 2018): one softmax gate per task over shared experts. Reports the gate weights `diag:mmoe/gates` `[B, T, E]`.
 *
 * @example
 * const model = buildMmoe({ features: data.features, tasks: data.tasks, experts: 4, gateTemperature: 1 });
 * const { diagnostics } = model.predict(data.splits.validation); // diagnostics['mmoe/gates'].mean: T × E
 */
export function buildMmoe(options: MmoeOptions): MultiTaskModel {
  const { experts, expert, gateTemperature } = options ?? {};
  return buildWithBackbone('mmoe', options, { experts, expert, gateTemperature });
}

/**
 * PLE (Tang et al., "Progressive Layered Extraction (PLE)", RecSys 2020): task-specific and shared experts over
 * several extraction levels; `levels: 1` is CGC. Reports the last level's gate weights `diag:ple/gates`.
 *
 * @example
 * const model = buildPle({ features: data.features, tasks: data.tasks, levels: 2, sharedExperts: 2, taskExperts: 2 });
 */
export function buildPle(options: PleOptions): MultiTaskModel {
  const { levels, sharedExperts, taskExperts, expert, gateTemperature } = options ?? {};
  return buildWithBackbone('ple', options, { levels, sharedExperts, taskExperts, expert, gateTemperature });
}
