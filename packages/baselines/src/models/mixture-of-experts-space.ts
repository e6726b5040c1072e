import { COMMON_SEARCH_SPACE, type SearchSpace } from '@ektm/core';

/** The sizes of one expert network that every expert model (OMoE, MMoE, PLE, CGC) searches. */
export const EXPERT_UNITS_CHOICES = [[32], [64], [128], [128, 64], [256, 128]] as const;

/**
 * The search space of the expert models (OMoE, MMoE): the common one, the number, size and dropout of the experts, and the gates' temperature.
 */
export const EXPERTS_SEARCH_SPACE: SearchSpace = {
  ...COMMON_SEARCH_SPACE,
  experts: { int: [2, 8] },
  'expert.units': { choice: EXPERT_UNITS_CHOICES },
  'expert.dropout': { uniform: [0, 0.3] },
  gateTemperature: { log: [0.5, 2] },
};
