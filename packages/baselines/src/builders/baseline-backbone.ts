import { SharedBottom, type BlockOption, type OptionSchemaFor } from '@ektm/core';
import { MixtureOfExperts } from '../blocks/mixture-of-experts.js';
import { ProgressiveLayeredExtraction } from '../blocks/progressive-layered-extraction.js';
import { SingleTaskBackbone } from '../blocks/single-task-backbone.js';
import { EXPERT_OPTION_SCHEMA, type ExpertOptions } from '../experts/batched-experts.js';
import { LEVEL_UNITS_OPTION } from './level-units-option.js';
import { ConfigError } from '@ektm/core';

/** The backbones of the zoo, by name. */
export type BaselineBackboneName = 'single-task' | 'shared-bottom' | 'omoe' | 'mmoe' | 'ple';
/** Every {@link BaselineBackboneName}. */
export const BASELINE_BACKBONES: readonly BaselineBackboneName[] = ['single-task', 'shared-bottom', 'omoe', 'mmoe', 'ple'];

/** Sizes of a named backbone; each backbone reads the fields that concern it. */
export interface BaselineBackboneOptions {
  /** `single-task`: the network of each task; `shared-bottom`: the shared network. Default `{ units: [128, 64] }`. */
  bottom?: ExpertOptions;
  /** `omoe`, `mmoe`: number of experts. Default 4. */
  experts?: number;
  /** `omoe`, `mmoe`, `ple`: the network of each expert. Default `{ units: [64] }`. */
  expert?: ExpertOptions;
  /** `mmoe`, `ple`: softmax temperature of the gates. Default 1. */
  gateTemperature?: number;
  /** `ple`: extraction levels (1 = CGC). Default 2. */
  levels?: number;
  /** `ple`: shared experts per level. Default 2. */
  sharedExperts?: number;
  /** `ple`: experts of each task per level. Default 2. */
  taskExperts?: number;
  /** `ple`: the layer units of each level's experts, one list per level, replacing `expert.units`. Default: `expert.units` at every level. */
  levelUnits?: number[][];
}

/** The keys of {@link BaselineBackboneOptions}, documented (`backboneOptions.experts`, ...). */
export const BASELINE_BACKBONE_OPTION_SCHEMA: OptionSchemaFor<BaselineBackboneOptions> = {
  bottom: {
    type: 'object',
    fields: EXPERT_OPTION_SCHEMA,
    default: { units: [128, 64] },
    doc: 'single-task: the network of each task; shared-bottom: the shared network.',
  },
  experts: { type: 'integer', min: 1, default: 4, doc: 'omoe, mmoe: number of experts.' },
  expert: { type: 'object', fields: EXPERT_OPTION_SCHEMA, default: { units: [64] }, doc: 'omoe, mmoe, ple: the network of each expert.' },
  gateTemperature: { type: 'number', min: 0, exclusiveMin: true, default: 1, doc: 'mmoe, ple: softmax temperature of the gates.' },
  levels: { type: 'integer', min: 1, default: 2, doc: 'ple: extraction levels (1 = CGC).' },
  sharedExperts: { type: 'integer', min: 1, default: 2, doc: 'ple: shared experts per level.' },
  taskExperts: { type: 'integer', min: 1, default: 2, doc: 'ple: experts of each task per level.' },
  levelUnits: { ...LEVEL_UNITS_OPTION, doc: `ple: t${LEVEL_UNITS_OPTION.doc.slice(1)}` },
};

/**
 * A backbone factory by name: writes one representation per tower task of the model it is built into.
 * Any `BlockOption` (a block, or your own factory) is accepted where a name is, so that every block mixes
 * with every other.
 */
export function baselineBackbone(backbone: BaselineBackboneName | BlockOption, options: BaselineBackboneOptions = {}): BlockOption {
  if (typeof backbone !== 'string') return backbone;
  const { bottom, experts, expert, gateTemperature, levels, sharedExperts, taskExperts, levelUnits } = options;
  switch (backbone) {
    case 'single-task':
      return (ctx) => new SingleTaskBackbone({ tasks: ctx.towerTasks, bottom, seed: ctx.seed, name: 'single_task' });
    case 'shared-bottom':
      return (ctx) => new SharedBottom({ tasks: ctx.towerTasks, bottom, seed: ctx.seed, name: 'shared_bottom' });
    case 'omoe':
      return (ctx) =>
        new MixtureOfExperts({
          tasks: ctx.towerTasks,
          experts,
          expert,
          gating: 'shared',
          gateTemperature,
          diagnostic: 'omoe/gates',
          seed: ctx.seed,
          name: 'omoe',
        });
    case 'mmoe':
      return (ctx) =>
        new MixtureOfExperts({ tasks: ctx.towerTasks, experts, expert, gating: 'per-task', gateTemperature, seed: ctx.seed, name: 'mmoe' });
    case 'ple':
      return (ctx) =>
        new ProgressiveLayeredExtraction({
          tasks: ctx.towerTasks,
          levels,
          sharedExperts,
          taskExperts,
          expert,
          levelUnits,
          gateTemperature,
          seed: ctx.seed,
          name: 'ple',
        });
    default:
      throw new ConfigError(`backbone: "${String(backbone)}" is not allowed; use ${BASELINE_BACKBONES.join(', ')} or a block`, 'backbone');
  }
}
