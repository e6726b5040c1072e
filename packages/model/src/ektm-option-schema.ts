import { BASELINE_BACKBONE_OPTION_SCHEMA } from '@ektm/baselines';
import { DENSE_ACTIVATIONS, DENSE_STACK_OPTION_SCHEMA, type OptionDoc, type OptionSchemaFor, type TaskBlockArgs } from '@ektm/core';
import { ENHANCEMENT_LOSSES, ENHANCER_FUSIONS } from '@ektm/enhancer';
import { ROUTER_SIMILARITIES } from '@ektm/router';
import { TRANSMITTER_KINDS } from '@ektm/transmitter';
import type { EktmAblations, EktmModelOptions } from './build-ektm.js';
import { EKTM_BACKBONES, type EktmBackboneOptions } from './ektm-backbone.js';
import type { EktmEnhancerOptions, EktmRouterOptions, EktmTransmitterOptions } from './ektm-blocks.js';

/** A schema documenting exactly a block's own keys (not the tfjs layer arguments), plus `Extra` ones. */
type BlockSchema<T, Extra extends PropertyKey = never> = { readonly [K in Exclude<keyof T, keyof TaskBlockArgs> | Extra]: OptionDoc };

/** The router options of the EKTM model (`router.similarity`, `router.temperature`, ...), documented. */
const EKTM_ROUTER_OPTION_SCHEMA: BlockSchema<EktmRouterOptions, 'name'> = {
  similarity: { type: 'string', choices: ROUTER_SIMILARITIES, default: 'cosine', doc: 'How the task similarity ŝ is computed.' },
  temperature: { type: 'number', min: 0, exclusiveMin: true, default: 1, doc: 'Initial softmax temperature of cosine and dot.' },
  learnTemperature: { type: 'boolean', default: true, doc: 'Whether the temperature is learned.' },
  includeSelf: { type: 'boolean', default: true, doc: "Whether target i's own representation is a weighted term (t = i)." },
  stopGradientSources: { type: 'boolean', default: false, doc: 'Stop the gradient from the router into the sources.' },
  stopGradientTargets: { type: 'boolean', default: false, doc: 'Stop the gradient from the router into the targets.' },
  projectionUnits: { type: 'integer', min: 1, defaultText: 'none', doc: 'Project every representation to this width first.' },
  diagnostic: { type: 'string', default: 'router/similarity', doc: 'Diagnostic name of the similarity output.', tunable: false },
  name: { type: 'string', default: 'ektm_router', doc: 'Layer name of the router.', tunable: false },
};

/** The transmitter options of the EKTM model (`transmitter.kind`, ...), documented. */
const EKTM_TRANSMITTER_OPTION_SCHEMA: BlockSchema<EktmTransmitterOptions> = {
  kind: { type: 'string', choices: TRANSMITTER_KINDS, default: 'gated-mlp', doc: 'The transmitter: gated MLP, MLP or identity.' },
  units: { type: 'integer[]', min: 1, defaultText: 'one layer as wide as the task representation', doc: 'Units of the MLP layers.' },
  activation: { type: 'string', choices: DENSE_ACTIVATIONS, default: 'relu', doc: 'Activation of the hidden layers.' },
  activateLast: { type: 'boolean', default: false, doc: 'Whether the last layer is activated too.' },
  dropout: { type: 'number', min: 0, max: 1, exclusiveMax: true, default: 0, doc: 'Dropout after each activated layer.' },
};

/** The enhancer options of the EKTM model (`enhancer.fusion`, `enhancer.enhancementWeight`, ...), documented. */
const EKTM_ENHANCER_OPTION_SCHEMA: BlockSchema<EktmEnhancerOptions> = {
  fusion: { type: 'string', choices: ENHANCER_FUSIONS, default: 'gated-residual', doc: 'How knowledge and representation are fused.' },
  fusionUnits: { type: 'integer[]', min: 1, defaultText: 'one layer as wide as the representation', doc: 'Units of concat-mlp.' },
  originalHidden: { type: 'integer[]', min: 1, defaultText: "the towers' units", doc: 'Hidden units of the original head.' },
  originalActivation: { type: 'string', choices: DENSE_ACTIVATIONS, default: 'relu', doc: 'Activation of the original head.' },
  originalWeight: { type: 'number', min: 0, default: 1, doc: "Weight of the original head's BCE term." },
  detachOriginal: { type: 'boolean', default: false, doc: "Whether the original head's loss stops at the head (stop-gradient on f_i)." },
  enhancement: { type: 'string', choices: ENHANCEMENT_LOSSES, default: 'hinge', doc: 'The enhancement loss.' },
  enhancementWeight: { type: 'number', min: 0, default: 1, doc: 'Weight of the enhancement term.' },
  gamma: { type: 'number', min: 0, default: 2, doc: 'Focal exponent of hard-example.' },
  enhancedOutput: { type: 'string', defaultText: 'prob:<task>', doc: 'Output the enhancement loss compares.', tunable: false },
};

/** The ablation switches, documented. */
const EKTM_ABLATION_OPTION_SCHEMA: OptionSchemaFor<EktmAblations> = {
  router: { type: 'boolean', choices: [false], doc: 'false: no router (F_i := f_i).', tunable: false },
  similarity: { type: 'string', choices: ['uniform'], doc: 'uniform: every target weighted equally.', tunable: false },
  transmitter: { type: 'string', choices: ['identity'], doc: 'identity: transmitters pass F_i through.', tunable: false },
  enhancer: { type: 'boolean', choices: [false], doc: 'false: no enhancer, no original head or enhancement loss.', tunable: false },
};

/** The backbone sizes of the EKTM model (the baselines' sizes plus the shared bottom's per-task layer), documented. */
const EKTM_BACKBONE_OPTION_SCHEMA: OptionSchemaFor<EktmBackboneOptions> = {
  ...BASELINE_BACKBONE_OPTION_SCHEMA,
  taskLayer: { type: 'object', fields: DENSE_STACK_OPTION_SCHEMA, default: { units: [64] }, doc: 'shared-bottom: a per-task layer.' },
};

/** The own options of {@link buildEktm} (besides features, tasks, seed, embeddingDim, tower and name), documented. */
export const EKTM_OPTION_SCHEMA: OptionSchemaFor<EktmModelOptions, 'features' | 'tasks' | 'seed' | 'embeddingDim' | 'tower' | 'name'> = {
  sources: {
    type: 'string[]',
    defaultText: 'parents and first product factors, else the first task',
    doc: 'Broad source tasks.',
    tunable: false,
  },
  targets: { type: 'string[]', defaultText: 'every other task with a tower', doc: 'Target (CVR) tasks.', tunable: false },
  backbone: {
    type: ['string', 'block'],
    choices: EKTM_BACKBONES,
    default: 'shared-bottom',
    doc: 'The backbone by name, or your own block.',
  },
  backboneOptions: {
    type: 'object',
    fields: EKTM_BACKBONE_OPTION_SCHEMA,
    defaultText: "the backbone's defaults",
    doc: 'Sizes of a named backbone.',
  },
  router: { type: 'object', fields: EKTM_ROUTER_OPTION_SCHEMA, default: {}, doc: 'Router options.' },
  transmitter: {
    type: 'object',
    fields: EKTM_TRANSMITTER_OPTION_SCHEMA,
    default: {},
    doc: 'Transmitter options, the same for every target.',
  },
  enhancer: { type: 'object', fields: EKTM_ENHANCER_OPTION_SCHEMA, default: {}, doc: 'Enhancer options, the same for every target.' },
  ablations: { type: 'object', fields: EKTM_ABLATION_OPTION_SCHEMA, default: {}, doc: 'Ablation switches.', tunable: false },
};
