import type { DenseStackOptions } from '@ektm/core';

/**
 * The sizes `ektm bench` gives every model of the zoo, so that each runs on the scale of the reference MMoE of
 * `bench/torch_models.py` (4 experts [256, 128] over 20 fields × dim 8): the same expert network, the same expert
 * count per level, the same towers. Then "cost per sample relative to MMoE" compares architectures, not sizes.
 * A model absent from this table (one a script registered) runs with its registry defaults.
 */

/** The expert network of the reference MMoE. */
const EXPERT = { units: [256, 128] };

/** MMoE and OMoE: 4 experts [256, 128], as the PyTorch reference. */
const MIXTURE = { experts: 4, expert: EXPERT };

/**
 * PLE: 2 levels of 4 experts (1 per task + 2 shared, as the MMoE has 4), the experts of level 1 one layer of 256
 * units, those of level 2 one layer of 128: the MMoE expert network's two layers become the two extraction levels,
 * as in MTReclib's PLE (one expert width per level, its `bottom_mlp_dims`). Then PLE's expert products are the
 * MMoE's multiply-adds a sample, plus its wider gates (3 task gates and a shared gate of 4 at level 1, 2 task gates on
 * 256-wide inputs at level 2). Before `levelUnits` the block gave every level the same units (256 at level 2 too):
 * 1.44× the MMoE's multiply-adds.
 */
const LAYERED = { levels: 2, taskExperts: 1, sharedExperts: 2, levelUnits: [[256], [128]] };

/** Shared-bottom and the per-task networks (single-task, AITM's backbone): [256, 128]. */
const BOTTOM = { bottom: EXPERT };

/** The towers of every model but AITM (whose backbone is the tower): [64], as the reference. */
export const BENCH_TOWER: Readonly<DenseStackOptions> = { units: [64] };

/** Builder options (besides features, tasks, embeddingDim, tower, seed) of every zoo model in `ektm bench`. */
export const BENCH_SIZES: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  'single-task': BOTTOM,
  'shared-bottom': BOTTOM,
  omoe: MIXTURE,
  mmoe: MIXTURE,
  ple: LAYERED,
  cgc: { taskExperts: 1, sharedExperts: 2, expert: EXPERT }, // one level: the MMoE's experts, task and shared
  esmm: { backboneOptions: BOTTOM },
  escm2: { backboneOptions: BOTTOM },
  aitm: { backboneOptions: BOTTOM, tower: { units: [] } },
  ektm: { backbone: 'mmoe', backboneOptions: MIXTURE },
  'ektm-no-router': { backbone: 'mmoe', backboneOptions: MIXTURE },
  'ektm-uniform': { backbone: 'mmoe', backboneOptions: MIXTURE },
  'ektm-identity-transmitter': { backbone: 'mmoe', backboneOptions: MIXTURE },
  'ektm-no-enhancer': { backbone: 'mmoe', backboneOptions: MIXTURE },
  'ektm-mmoe': { backboneOptions: MIXTURE },
  'ektm-ple': { backboneOptions: LAYERED },
  'ektm-single-task': { backboneOptions: BOTTOM },
  'ektm-hard-example': { backbone: 'mmoe', backboneOptions: MIXTURE },
};
