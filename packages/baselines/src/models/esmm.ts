import { COMMON_SEARCH_SPACE, defineModel, type SearchSpace } from '@ektm/core';
import { buildEsmm, ESMM_OPTION_SCHEMA, type EsmmOptions } from '../builders/build-esmm.js';
import { funnelAdaptation, funnelSupport } from './task-support.js';

/** ESMM's search space (shared by ESCM2): the common one, the per-task networks and the loss weights. */
export const ESMM_SEARCH_SPACE: SearchSpace = {
  ...COMMON_SEARCH_SPACE,
  'backboneOptions.bottom.units': { choice: [[64], [128, 64], [256, 128]] },
  'backboneOptions.bottom.dropout': { uniform: [0, 0.3] },
  cvrWeight: { choice: [0, 0.1, 0.5] },
  ctcvrWeight: { uniform: [0.5, 2] },
};

/** ESMM in the model registry: runs on any task set with a click → conversion funnel. */
export const ESMM_MODEL = defineModel<EsmmOptions>({
  name: 'esmm',
  family: 'baseline',
  main: true,
  description: 'ESMM: pCTCVR = pCTR x pCVR over the entire space (needs a click -> conversion funnel)',
  paper: 'Ma et al., "Entire Space Multi-Task Model: An Effective Approach for Estimating Post-Click Conversion Rate", SIGIR 2018',
  options: ESMM_OPTION_SCHEMA,
  searchSpace: ESMM_SEARCH_SPACE,
  supports: funnelSupport('esmm'),
  adapt: funnelAdaptation('esmm'),
  build: buildEsmm,
});
