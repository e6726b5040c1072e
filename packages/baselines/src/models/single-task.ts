import { COMMON_SEARCH_SPACE, defineModel } from '@ektm/core';
import { buildSingleTask, SINGLE_TASK_OPTION_SCHEMA, type SingleTaskOptions } from '../builders/build-backbone-models.js';
import { anyTaskSet } from './task-support.js';

/** The single-task baseline in the model registry. */
export const SINGLE_TASK_MODEL = defineModel<SingleTaskOptions>({
  name: 'single-task',
  family: 'baseline',
  main: true,
  description: 'Single-task: one network per task over shared embeddings (the reference for negative transfer)',
  paper: 'Caruana, "Multitask Learning", Machine Learning 28, 1997 (the independent-task baseline)',
  options: SINGLE_TASK_OPTION_SCHEMA,
  searchSpace: {
    ...COMMON_SEARCH_SPACE,
    'bottom.units': { choice: [[64], [128, 64], [256, 128]] },
    'bottom.dropout': { uniform: [0, 0.3] },
  },
  supports: anyTaskSet,
  build: buildSingleTask,
});
