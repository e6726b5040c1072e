import { COMMON_SEARCH_SPACE, defineModel } from '@ektm/core';
import { buildPle, PLE_OPTION_SCHEMA, type PleOptions } from '../builders/build-backbone-models.js';
import { EXPERT_UNITS_CHOICES } from './mixture-of-experts-space.js';
import { anyTaskSet } from './task-support.js';

// CGC is PLE with a single extraction level, so its options are PLE's without `levels`.
const { levels: _levels, ...CGC_OPTION_SCHEMA } = PLE_OPTION_SCHEMA;

/**
 * CGC (Customized Gate Control), the single-level model of the PLE paper: every task mixes its own experts and the
 * shared ones through its gate, once. A model of its own in the registry (`ektm compare --models cgc,mmoe`), built
 * by PLE's builder with one level.
 */
export const CGC_MODEL = defineModel<Omit<PleOptions, 'levels'>>({
  name: 'cgc',
  family: 'baseline',
  main: false,
  description: 'CGC: task-specific and shared experts, one gate per task, one extraction level (PLE with levels = 1)',
  paper:
    'Tang et al., "Progressive Layered Extraction (PLE): A Novel Multi-Task Learning (MTL) Model for Personalized Recommendations", RecSys 2020',
  options: CGC_OPTION_SCHEMA,
  searchSpace: {
    ...COMMON_SEARCH_SPACE,
    sharedExperts: { int: [1, 4] },
    taskExperts: { int: [1, 4] },
    'expert.units': { choice: EXPERT_UNITS_CHOICES },
    'expert.dropout': { uniform: [0, 0.3] },
    gateTemperature: { log: [0.5, 2] },
  },
  supports: anyTaskSet,
  build: (options) => buildPle({ ...options, name: options.name ?? 'cgc', levels: 1 }),
});
