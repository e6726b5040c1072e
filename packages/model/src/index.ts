export { inferEktmRoles, type EktmRoles } from './ektm-roles.js';
export {
  ektmBlocks,
  type EktmRouterOptions,
  type EktmTransmitterOptions,
  type EktmEnhancerOptions,
  type EktmBlockOptions,
} from './ektm-blocks.js';
export { ektmBackbone, type EktmBackboneName, EKTM_BACKBONES, type EktmBackboneOptions } from './ektm-backbone.js';
export { buildEktm, type EktmAblations, type EktmModelOptions } from './build-ektm.js';
export { EKTM_PAPER, EKTM_SEARCH_SPACE, EKTM_MODEL, EKTM_MODELS } from './ektm-models.js';
