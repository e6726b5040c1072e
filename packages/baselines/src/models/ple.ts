import { COMMON_SEARCH_SPACE, defineModel } from '@ektm/core';
import { buildPle, PLE_OPTION_SCHEMA, type PleOptions } from '../builders/build-backbone-models.js';
import { EXPERT_UNITS_CHOICES } from './mixture-of-experts-space.js';
import { anyTaskSet } from './task-support.js';

/** PLE in the model registry. */
export const PLE_MODEL = defineModel<PleOptions>({
  name: 'ple',
  family: 'baseline',
  main: true,
  description: 'PLE: shared and task-specific experts over two extraction levels (one level is CGC)',
  paper:
    'Tang et al., "Progressive Layered Extraction (PLE): A Novel Multi-Task Learning (MTL) Model for Personalized Recommendations", RecSys 2020',
  options: PLE_OPTION_SCHEMA,
  searchSpace: {
    ...COMMON_SEARCH_SPACE,
    levels: { int: [1, 3] },
    sharedExperts: { int: [1, 4] },
    taskExperts: { int: [1, 4] },
    'expert.units': { choice: EXPERT_UNITS_CHOICES },
    'expert.dropout': { uniform: [0, 0.3] },
    gateTemperature: { log: [0.5, 2] },
  },
  supports: anyTaskSet,
  build: buildPle,
});
