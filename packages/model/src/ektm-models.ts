import { COMMON_SEARCH_SPACE, defineModel, type ModelDefinition, type SearchSpace, type TaskSpec, type TaskSupport } from '@ektm/core';
import { buildEktm, type EktmModelOptions } from './build-ektm.js';
import { EKTM_OPTION_SCHEMA } from './ektm-option-schema.js';
import { inferEktmRoles } from './ektm-roles.js';

/** The paper every EKTM variant comes from. */
export const EKTM_PAPER = 'Cai, Yuan and Dong, "Effective Knowledge Transfer for Multi-Task Recommendation Models", arXiv 2605.05730, 2026';

/**
 * What a tuner may vary for EKTM: the common space, the backbone's sizes, the router's similarity and temperature,
 * the transmitter's form and the enhancer's fusion, loss and weight. A variant drops the keys its switches fix.
 */
export const EKTM_SEARCH_SPACE: SearchSpace = {
  ...COMMON_SEARCH_SPACE,
  'backboneOptions.bottom.units': { choice: [[64], [128, 64], [256, 128]] },
  'backboneOptions.taskLayer.units': { choice: [[32], [64], [128]] },
  'router.similarity': { choice: ['cosine', 'dot', 'affinity'] },
  'router.temperature': { log: [0.25, 4] },
  'transmitter.kind': { choice: ['gated-mlp', 'mlp'] },
  'transmitter.dropout': { uniform: [0, 0.3] },
  'enhancer.fusion': { choice: ['gated-residual', 'residual', 'concat-mlp'] },
  'enhancer.enhancement': { choice: ['hinge', 'hard-example'] },
  'enhancer.enhancementWeight': { log: [0.1, 3] },
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

/** The search space without the keys under `fixed` prefixes (what a variant's switches or backbone settle). */
function spaceWithout(fixed: readonly string[]): SearchSpace {
  return Object.fromEntries(Object.entries(EKTM_SEARCH_SPACE).filter(([key]) => !fixed.some((prefix) => key.startsWith(prefix))));
}

/** A backbone's own sizes, tuned when EKTM runs on it. */
const EXPERT_SPACE: SearchSpace = {
  'backboneOptions.experts': { int: [2, 8] },
  'backboneOptions.expert.units': { choice: [[64], [128], [256, 128]] },
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
    { fixed: ['router.'] },
  ),
  variant(
    'ektm-uniform',
    'EKTM ablation: uniform router weights instead of task similarity',
    { ablations: { similarity: 'uniform' } },
    { fixed: ['router.'] },
  ),
  variant(
    'ektm-identity-transmitter',
    'EKTM ablation: identity transmitters',
    { ablations: { transmitter: 'identity' } },
    {
      fixed: ['transmitter.'],
    },
  ),
  variant(
    'ektm-no-enhancer',
    'EKTM ablation: no enhancer (transmitted knowledge replaces the representation, no original head or enhancement loss)',
    { ablations: { enhancer: false } },
    { fixed: ['enhancer.'] },
  ),
  variant(
    'ektm-mmoe',
    'EKTM on the MMoE backbone (the MMoE baseline plus router, transmitters and enhancers)',
    { backbone: 'mmoe' },
    { fixed: ['backboneOptions.'], extraSpace: EXPERT_SPACE },
  ),
  variant(
    'ektm-ple',
    'EKTM on the PLE backbone (the PLE baseline plus router, transmitters and enhancers)',
    { backbone: 'ple' },
    {
      fixed: ['backboneOptions.'],
      extraSpace: {
        'backboneOptions.levels': { int: [1, 3] },
        'backboneOptions.sharedExperts': { int: [1, 4] },
        'backboneOptions.taskExperts': { int: [1, 4] },
        'backboneOptions.expert.units': { choice: [[64], [128], [256, 128]] },
      },
    },
  ),
  variant(
    'ektm-hard-example',
    'EKTM variant: hard-example weighting (γ = 2) instead of the hinge as the enhancement loss',
    { enhancer: { enhancement: 'hard-example' } },
    { fixed: ['enhancer.enhancement'], extraSpace: { 'enhancer.gamma': { uniform: [0.5, 4] } } },
  ),
];
