import {
  buildMultiTaskModel,
  COMMON_MODEL_OPTION_SCHEMA,
  validateOptions,
  type BlockOption,
  type MultiTaskModel,
  type OptionSchema,
  type OptionSchemaFor,
} from '@ektm/core';
import { EXPERT_OPTION_SCHEMA, type ExpertOptions } from '../experts/batched-experts.js';
import { LEVEL_UNITS_OPTION } from './level-units-option.js';
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
  /** Extraction levels; 1 is CGC. Default: the length of `levelUnits` when given, else 2. */
  levels?: number;
  /** Shared experts per level. Default 2. */
  sharedExperts?: number;
  /** Experts of each task per level. Default 2. */
  taskExperts?: number;
  /** The network of each expert (every level; `levelUnits` replaces its units). Default `{ units: [64] }`. */
  expert?: ExpertOptions;
  /**
   * The layer units of each level's experts, one list per level (`[[256], [128]]`: level 1's experts 256 wide, level
   * 2's 128), replacing `expert.units`; `expert` still gives activation and dropout. Default: `expert.units` at every level.
   */
  levelUnits?: number[][];
  /** Softmax temperature of the gates. Default 1. */
  gateTemperature?: number;
}

/** The `blocks` option every backbone baseline takes. */
const BLOCKS_OPTION = {
  blocks: { type: 'array', default: [], doc: 'Transfer blocks applied after the backbone (an EKTM router, your own).', tunable: false },
} as const;

/** The own options of {@link buildSingleTask}, documented; the builder rejects any other key. */
export const SINGLE_TASK_OPTION_SCHEMA: OptionSchemaFor<SingleTaskOptions, keyof BaselineOptions> = {
  bottom: { type: 'object', fields: EXPERT_OPTION_SCHEMA, default: { units: [128, 64] }, doc: 'The network of each task.' },
  ...BLOCKS_OPTION,
};

/** The own options of {@link buildSharedBottom}, documented; the builder rejects any other key. */
export const SHARED_BOTTOM_OPTION_SCHEMA: OptionSchemaFor<SharedBottomOptions, keyof BaselineOptions> = {
  bottom: { type: 'object', fields: EXPERT_OPTION_SCHEMA, default: { units: [128, 64] }, doc: 'The shared network.' },
  ...BLOCKS_OPTION,
};

/** The own options of {@link buildOmoe} (and {@link buildMmoe}), documented; the builders reject any other key. */
export const OMOE_OPTION_SCHEMA: OptionSchemaFor<OmoeOptions, keyof BaselineOptions> = {
  experts: { type: 'integer', min: 1, default: 4, doc: 'Number of experts.' },
  expert: { type: 'object', fields: EXPERT_OPTION_SCHEMA, default: { units: [64] }, doc: 'The network of each expert.' },
  gateTemperature: { type: 'number', min: 0, exclusiveMin: true, default: 1, doc: 'Softmax temperature of the gates.' },
  ...BLOCKS_OPTION,
};

/** The own options of {@link buildMmoe}, documented. */
export const MMOE_OPTION_SCHEMA = OMOE_OPTION_SCHEMA satisfies OptionSchemaFor<MmoeOptions, keyof BaselineOptions>;

/** The own options of {@link buildPle}, documented; the builder rejects any other key. */
export const PLE_OPTION_SCHEMA: OptionSchemaFor<PleOptions, keyof BaselineOptions> = {
  levels: {
    type: 'integer',
    min: 1,
    default: 2,
    doc: 'Extraction levels; 1 is CGC. With levelUnits, the length of levelUnits (then levels may be left out).',
  },
  sharedExperts: { type: 'integer', min: 1, default: 2, doc: 'Shared experts per level.' },
  taskExperts: { type: 'integer', min: 1, default: 2, doc: 'Experts of each task per level.' },
  expert: {
    type: 'object',
    fields: EXPERT_OPTION_SCHEMA,
    default: { units: [64] },
    doc: 'The network of each expert (levelUnits replaces its units).',
  },
  levelUnits: LEVEL_UNITS_OPTION,
  gateTemperature: { type: 'number', min: 0, exclusiveMin: true, default: 1, doc: 'Softmax temperature of the gates.' },
  ...BLOCKS_OPTION,
};

function buildWithBackbone(
  model: BaselineBackboneName,
  options: BackboneModelOptions,
  sizes: BaselineBackboneOptions,
  schema: OptionSchema,
  builder: string,
): MultiTaskModel {
  requireOptions(options, builder);
  validateOptions({ ...COMMON_MODEL_OPTION_SCHEMA, ...schema }, options, builder);
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
  return buildWithBackbone('single-task', options, { bottom: options?.bottom }, SINGLE_TASK_OPTION_SCHEMA, 'buildSingleTask');
}

/**
 * Shared-bottom (Caruana, "Multitask Learning", Machine Learning 28, 1997): one network shared by every task,
 * then a tower per task.
 *
 * @example
 * const model = buildSharedBottom({ features: data.features, tasks: data.tasks, bottom: { units: [128, 64] } });
 */
export function buildSharedBottom(options: SharedBottomOptions): MultiTaskModel {
  return buildWithBackbone('shared-bottom', options, { bottom: options?.bottom }, SHARED_BOTTOM_OPTION_SCHEMA, 'buildSharedBottom');
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
  return buildWithBackbone('omoe', options, { experts, expert, gateTemperature }, OMOE_OPTION_SCHEMA, 'buildOmoe');
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
  return buildWithBackbone('mmoe', options, { experts, expert, gateTemperature }, MMOE_OPTION_SCHEMA, 'buildMmoe');
}

/**
 * PLE (Tang et al., "Progressive Layered Extraction (PLE)", RecSys 2020): task-specific and shared experts over
 * several extraction levels; `levels: 1` is CGC. Reports the last level's gate weights `diag:ple/gates`.
 *
 * @example
 * const model = buildPle({ features: data.features, tasks: data.tasks, levels: 2, sharedExperts: 2, taskExperts: 2 });
 * // Each level its own expert width (the experts of level 1 are 256 wide, those of level 2 128):
 * const tapered = buildPle({ features: data.features, tasks: data.tasks, taskExperts: 1, levelUnits: [[256], [128]] });
 */
export function buildPle(options: PleOptions): MultiTaskModel {
  const { levels, sharedExperts, taskExperts, expert, levelUnits, gateTemperature } = options ?? {};
  const sizes = { levels, sharedExperts, taskExperts, expert, levelUnits, gateTemperature };
  return buildWithBackbone('ple', options, sizes, PLE_OPTION_SCHEMA, 'buildPle');
}
