import { COMMON_SEARCH_SPACE, defineModel, type ModelDefinition, type SearchSpace, type TaskSpec, type TaskSupport } from '@ektm/core';
import { buildEktm, type EktmModelOptions } from './build-ektm.js';
import { EKTM_OPTION_SCHEMA } from './ektm-option-schema.js';
import { inferEktmRoles } from './ektm-roles.js';

/** The paper every EKTM variant comes from. */
export const EKTM_PAPER = 'Cai, Yuan and Dong, "Effective Knowledge Transfer for Multi-Task Recommendation Models", arXiv 2605.05730, 2026';

/** Expert sizes searched for EKTM's expert backbones: the same choices as the MMoE and PLE baselines. */
const EXPERT_UNITS = [[32], [64], [128], [128, 64], [256, 128]] as const;

/** Bottom sizes searched for EKTM's shared-bottom and single-task backbones: the single-task baseline's choices. */
const BOTTOM_UNITS = [[64], [128, 64], [256, 128]] as const;

/**
 * What a tuner may vary for EKTM: the common space, the backbone and its sizes (each only when that backbone is drawn),
 * every switch of the reconstruction that is a modelling choice rather than an ablation (the router's similarity,
 * temperature, whether target i is its own term and whether the sources receive the router's gradient; the
 * transmitter's form, width and dropout; the enhancer's fusion, enhancement loss and its weight, the original head's
 * weight and whether its loss stops at the head). A variant drops the keys its switches fix.
 */
export const EKTM_SEARCH_SPACE: SearchSpace = {
  ...COMMON_SEARCH_SPACE,
  backbone: { choice: ['shared-bottom', 'mmoe', 'ple', 'single-task'] },
  'backboneOptions.bottom.units': { choice: BOTTOM_UNITS, when: { backbone: ['shared-bottom', 'single-task'] } },
  'backboneOptions.bottom.dropout': { uniform: [0, 0.3], when: { backbone: ['shared-bottom', 'single-task'] } },
  'backboneOptions.taskLayer.units': { choice: [[32], [64], [128]], when: { backbone: 'shared-bottom' } },
  'backboneOptions.experts': { int: [2, 8], when: { backbone: 'mmoe' } },
  'backboneOptions.levels': { int: [1, 3], when: { backbone: 'ple' } },
  'backboneOptions.sharedExperts': { int: [1, 4], when: { backbone: 'ple' } },
  'backboneOptions.taskExperts': { int: [1, 4], when: { backbone: 'ple' } },
  'backboneOptions.expert.units': { choice: EXPERT_UNITS, when: { backbone: ['mmoe', 'ple'] } },
  'backboneOptions.expert.dropout': { uniform: [0, 0.3], when: { backbone: ['mmoe', 'ple'] } },
  'backboneOptions.gateTemperature': { log: [0.5, 2], when: { backbone: ['mmoe', 'ple'] } },
  'router.similarity': { choice: ['cosine', 'dot', 'affinity'] },
  'router.temperature': { log: [0.25, 4], when: { 'router.similarity': ['cosine', 'dot'] } },
  'router.includeSelf': { choice: [true, false] },
  'router.stopGradientSources': { choice: [false, true] },
  'transmitter.kind': { choice: ['gated-mlp', 'mlp'] },
  // A residual fusion adds the transmitted knowledge to the representation, so the transmitter must end as wide as the
  // representation (its default); its widths are free only when the enhancer concatenates.
  'transmitter.units': { choice: [[32], [64], [64, 32]], when: { 'enhancer.fusion': 'concat-mlp' } },
  'transmitter.dropout': { uniform: [0, 0.3] },
  'enhancer.fusion': { choice: ['gated-residual', 'residual', 'concat-mlp'] },
  'enhancer.enhancement': { choice: ['hinge', 'hard-example'] },
  'enhancer.enhancementWeight': { log: [0.1, 3] },
  'enhancer.gamma': { uniform: [0.5, 4], when: { 'enhancer.enhancement': 'hard-example' } },
  'enhancer.originalWeight': { log: [0.1, 3] },
  'enhancer.detachOriginal': { choice: [false, true] },
};

/** EKTM needs a source task and at least one target task (see `inferEktmRoles`). */
function ektmSupport(tasks: readonly TaskSpec[]): TaskSupport {
  try {
    inferEktmRoles(tasks);
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: `ektm needs a source task and a target task: ${(error as Error).message}` };
  }
}

/**
 * The search space without the options a variant's switches or backbone settle: each `fixed` entry removes that key and
 * every key under it (`router` removes `router.similarity`, ...), and a key whose `when` names a removed key goes too.
 */
function spaceWithout(fixed: readonly string[]): SearchSpace {
  const removed = (key: string) => fixed.some((f) => key === f || key.startsWith(`${f}.`));
  return Object.fromEntries(
    Object.entries(EKTM_SEARCH_SPACE).filter(([key, d]) => !removed(key) && !Object.keys(('when' in d && d.when) || {}).some(removed)),
  );
}

/** The MMoE backbone's own sizes, tuned when EKTM is fixed to it (the MMoE baseline's space). */
const MMOE_BACKBONE_SPACE: SearchSpace = {
  'backboneOptions.experts': { int: [2, 8] },
  'backboneOptions.expert.units': { choice: EXPERT_UNITS },
  'backboneOptions.expert.dropout': { uniform: [0, 0.3] },
  'backboneOptions.gateTemperature': { log: [0.5, 2] },
};

/** The PLE backbone's own sizes, tuned when EKTM is fixed to it (the PLE baseline's space). */
const PLE_BACKBONE_SPACE: SearchSpace = {
  'backboneOptions.levels': { int: [1, 3] },
  'backboneOptions.sharedExperts': { int: [1, 4] },
  'backboneOptions.taskExperts': { int: [1, 4] },
  'backboneOptions.expert.units': { choice: EXPERT_UNITS },
  'backboneOptions.expert.dropout': { uniform: [0, 0.3] },
  'backboneOptions.gateTemperature': { log: [0.5, 2] },
};

/** The single-task backbone's own sizes, tuned when EKTM is fixed to it (the single-task baseline's space). */
const SINGLE_TASK_BACKBONE_SPACE: SearchSpace = {
  'backboneOptions.bottom.units': { choice: BOTTOM_UNITS },
  'backboneOptions.bottom.dropout': { uniform: [0, 0.3] },
};

/** The options of a variant: the reference model's, with the variant's switches on top (its `ablations` and `enhancer` merged). */
function variant(
  name: string,
  description: string,
  overrides: Partial<EktmModelOptions>,
  settings: { main?: boolean; fixed?: readonly string[]; extraSpace?: SearchSpace } = {},
): ModelDefinition<EktmModelOptions> {
  return defineModel<EktmModelOptions>({
    name,
    family: 'ektm',
    main: settings.main ?? false,
    description,
    paper: EKTM_PAPER,
    options: EKTM_OPTION_SCHEMA,
    searchSpace: { ...spaceWithout(settings.fixed ?? []), ...settings.extraSpace },
    supports: ektmSupport,
    build: (options) =>
      buildEktm({
        ...options,
        ...overrides,
        ablations: { ...options.ablations, ...overrides.ablations },
        enhancer: { ...options.enhancer, ...overrides.enhancer },
        name: options.name ?? name,
      }),
  });
}

/** The reference EKTM model: router (cosine similarity), gated-MLP transmitters, gated-residual enhancers with the hinge. */
export const EKTM_MODEL = variant(
  'ektm',
  'EKTM: router (cosine similarity), gated-MLP transmitters, gated-residual enhancers with the hinge',
  {},
  { main: true },
);

/** The reference EKTM model and its ablations and variants, in the order of the model table. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const EKTM_MODELS: readonly ModelDefinition<any>[] = [
  EKTM_MODEL,
  variant(
    'ektm-no-router',
    'EKTM ablation: no router (each transmitter reads its own task representation)',
    { ablations: { router: false } },
    { fixed: ['router'] },
  ),
  variant(
    'ektm-uniform',
    'EKTM ablation: uniform router weights instead of task similarity',
    { ablations: { similarity: 'uniform' } },
    { fixed: ['router.similarity', 'router.temperature'] },
  ),
  variant(
    'ektm-identity-transmitter',
    'EKTM ablation: identity transmitters',
    { ablations: { transmitter: 'identity' } },
    { fixed: ['transmitter'] },
  ),
  variant(
    'ektm-no-enhancer',
    'EKTM ablation: no enhancer (transmitted knowledge replaces the representation, no original head or enhancement loss)',
    { ablations: { enhancer: false } },
    { fixed: ['enhancer'] },
  ),
  variant(
    'ektm-mmoe',
    'EKTM on the MMoE backbone (the MMoE baseline plus router, transmitters and enhancers)',
    { backbone: 'mmoe' },
    { fixed: ['backbone', 'backboneOptions'], extraSpace: MMOE_BACKBONE_SPACE },
  ),
  variant(
    'ektm-ple',
    'EKTM on the PLE backbone (the PLE baseline plus router, transmitters and enhancers)',
    { backbone: 'ple' },
    { fixed: ['backbone', 'backboneOptions'], extraSpace: PLE_BACKBONE_SPACE },
  ),
  variant(
    'ektm-single-task',
    'EKTM on per-task networks (the single-task baseline plus router, transmitters and enhancers; tasks share only the embeddings)',
    { backbone: 'single-task' },
    { fixed: ['backbone', 'backboneOptions'], extraSpace: SINGLE_TASK_BACKBONE_SPACE },
  ),
  variant(
    'ektm-hard-example',
    'EKTM variant: hard-example weighting (γ = 2) instead of the hinge as the enhancement loss',
    { enhancer: { enhancement: 'hard-example' } },
    { fixed: ['enhancer.enhancement'], extraSpace: { 'enhancer.gamma': { uniform: [0.5, 4] } } },
  ),
];
