import { COMMON_SEARCH_SPACE, defineModel } from '@ektm/core';
import { buildSharedBottom, SHARED_BOTTOM_OPTION_SCHEMA, type SharedBottomOptions } from '../builders/build-backbone-models.js';
import { anyTaskSet } from './task-support.js';

/** The shared-bottom baseline in the model registry. */
export const SHARED_BOTTOM_MODEL = defineModel<SharedBottomOptions>({
  name: 'shared-bottom',
  family: 'baseline',
  main: true,
  description: 'Shared-bottom: one shared network, a tower per task',
  paper: 'Caruana, "Multitask Learning", Machine Learning 28, 1997',
  options: SHARED_BOTTOM_OPTION_SCHEMA,
  searchSpace: {
    ...COMMON_SEARCH_SPACE,
    'bottom.units': { choice: [[64], [128, 64], [256, 128]] },
    'bottom.dropout': { uniform: [0, 0.3] },
  },
  supports: anyTaskSet,
  build: buildSharedBottom,
});
