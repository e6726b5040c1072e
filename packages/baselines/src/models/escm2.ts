import { defineModel } from '@ektm/core';
import { buildEscm2, ESCM2_OPTION_SCHEMA, type Escm2Options } from '../builders/build-escm2.js';
import { ESMM_SEARCH_SPACE } from './esmm.js';
import { funnelAdaptation, funnelSupport } from './task-support.js';

/** ESCM2 in the model registry: runs on any task set with a click → conversion funnel. */
export const ESCM2_MODEL = defineModel<Escm2Options>({
  name: 'escm2',
  family: 'baseline',
  main: false,
  description: 'ESCM2: ESMM with a counterfactual (inverse propensity weighted) CVR regulariser (needs a funnel)',
  paper: 'Wang et al., "ESCM2: Entire Space Counterfactual Multi-Task Model for Post-Click Conversion Rate Estimation", SIGIR 2022',
  options: ESCM2_OPTION_SCHEMA,
  searchSpace: {
    ...ESMM_SEARCH_SPACE,
    counterfactual: { choice: ['ipw', 'dr'] },
    counterfactualWeight: { uniform: [0.1, 1] },
  },
  supports: funnelSupport('escm2'),
  adapt: funnelAdaptation('escm2'),
  build: buildEscm2,
});
