import { COMMON_SEARCH_SPACE, defineModel } from '@ektm/core';
import { AITM_OPTION_SCHEMA, buildAitm, type AitmOptions } from '../builders/build-aitm.js';
import { EXPERT_UNITS_CHOICES } from './mixture-of-experts-space.js';
import { chainSupport } from './task-support.js';

// AITM's towers are logistic heads (no hidden layer): its transfer network is the tower, so the towers are not tuned.
const { 'tower.dropout': _towerDropout, 'tower.units': _towerUnits, ...common } = COMMON_SEARCH_SPACE;

/** AITM in the model registry: a funnel, or any chain of two or more tasks. */
export const AITM_MODEL = defineModel<AitmOptions>({
  name: 'aitm',
  family: 'baseline',
  main: true,
  description: 'AITM: attention-based information transfer along a funnel (or a chain of tasks) with the calibrator',
  paper:
    'Xi et al., "Modeling the Sequential Dependence among Audience Multi-step Conversions with Multi-task Learning in Targeted Display Advertising", KDD 2021',
  options: AITM_OPTION_SCHEMA,
  // As rich as EKTM's: the per-task networks (or a shared or expert backbone under the transfer), their dropout, the
  // transfer's dropout and the calibrator's weight.
  searchSpace: {
    ...common,
    backbone: { choice: ['single-task', 'shared-bottom', 'mmoe'] },
    'backboneOptions.bottom.units': {
      choice: [
        [64, 32],
        [128, 64, 32],
        [256, 128, 64],
      ],
      when: { backbone: ['single-task', 'shared-bottom'] },
    },
    'backboneOptions.bottom.dropout': { uniform: [0, 0.3], when: { backbone: ['single-task', 'shared-bottom'] } },
    'backboneOptions.experts': { int: [2, 8], when: { backbone: 'mmoe' } },
    'backboneOptions.expert.units': { choice: EXPERT_UNITS_CHOICES, when: { backbone: 'mmoe' } },
    'backboneOptions.expert.dropout': { uniform: [0, 0.3], when: { backbone: 'mmoe' } },
    dropout: { uniform: [0, 0.3] },
    calibratorWeight: { uniform: [0, 1] },
  },
  supports: chainSupport,
  build: buildAitm,
});
