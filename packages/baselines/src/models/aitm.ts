import { COMMON_SEARCH_SPACE, defineModel } from '@ektm/core';
import { AITM_OPTION_SCHEMA, buildAitm, type AitmOptions } from '../builders/build-aitm.js';
import { chainSupport } from './task-support.js';

// AITM's towers are logistic heads (no hidden layer), so the towers' dropout is not tuned.
const { 'tower.dropout': _towerDropout, ...common } = COMMON_SEARCH_SPACE;

/** AITM in the model registry: a funnel, or any chain of two or more tasks. */
export const AITM_MODEL = defineModel<AitmOptions>({
  name: 'aitm',
  family: 'baseline',
  main: true,
  description: 'AITM: attention-based information transfer along a funnel (or a chain of tasks) with the calibrator',
  paper:
    'Xi et al., "Modeling the Sequential Dependence among Audience Multi-step Conversions with Multi-task Learning in Targeted Display Advertising", KDD 2021',
  options: AITM_OPTION_SCHEMA,
  searchSpace: {
    ...common,
    'backboneOptions.bottom.units': {
      choice: [
        [64, 32],
        [128, 64, 32],
        [256, 128, 64],
      ],
    },
    dropout: { uniform: [0, 0.3] },
    calibratorWeight: { uniform: [0, 1] },
  },
  supports: chainSupport,
  build: buildAitm,
});
