import { defineModel } from '@ektm/core';
import { buildOmoe, OMOE_OPTION_SCHEMA, type OmoeOptions } from '../builders/build-backbone-models.js';
import { EXPERTS_SEARCH_SPACE } from './mixture-of-experts-space.js';
import { anyTaskSet } from './task-support.js';

/** The one-gate mixture of experts in the model registry. */
export const OMOE_MODEL = defineModel<OmoeOptions>({
  name: 'omoe',
  family: 'baseline',
  main: false,
  description: 'OMoE: shared experts mixed by one softmax gate for every task',
  paper: 'Ma et al., "Modeling Task Relationships in Multi-task Learning with Multi-gate Mixture-of-Experts", KDD 2018',
  options: OMOE_OPTION_SCHEMA,
  searchSpace: EXPERTS_SEARCH_SPACE,
  supports: anyTaskSet,
  build: buildOmoe,
});
