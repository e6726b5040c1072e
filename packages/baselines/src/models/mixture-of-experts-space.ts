import { COMMON_SEARCH_SPACE, type SearchSpace } from '@ektm/core';

/** The search space of the expert models (OMoE, MMoE): the common one, the number and size of the experts, the gates. */
export const EXPERTS_SEARCH_SPACE: SearchSpace = {
  ...COMMON_SEARCH_SPACE,
  experts: { int: [2, 8] },
  'expert.units': { choice: [[64], [128], [256, 128]] },
  'expert.dropout': { uniform: [0, 0.3] },
  gateTemperature: { log: [0.5, 2] },
};
