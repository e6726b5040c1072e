import { defineModel } from '@ektm/core';
import { buildMmoe, MMOE_OPTION_SCHEMA, type MmoeOptions } from '../builders/build-backbone-models.js';
import { EXPERTS_SEARCH_SPACE } from './mixture-of-experts-space.js';
import { anyTaskSet } from './task-support.js';

/** MMoE in the model registry. */
export const MMOE_MODEL = defineModel<MmoeOptions>({
  name: 'mmoe',
  family: 'baseline',
  main: true,
  description: 'MMoE: shared experts mixed by a softmax gate per task',
  paper: 'Ma et al., "Modeling Task Relationships in Multi-task Learning with Multi-gate Mixture-of-Experts", KDD 2018',
  options: MMOE_OPTION_SCHEMA,
  searchSpace: EXPERTS_SEARCH_SPACE,
  supports: anyTaskSet,
  build: buildMmoe,
});
