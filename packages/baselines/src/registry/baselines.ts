import type { ModelDefinition } from '@ektm/core';
import { AITM_MODEL } from '../models/aitm.js';
import { CGC_MODEL } from '../models/cgc.js';
import { ESCM2_MODEL } from '../models/escm2.js';
import { ESMM_MODEL } from '../models/esmm.js';
import { MMOE_MODEL } from '../models/mmoe.js';
import { OMOE_MODEL } from '../models/omoe.js';
import { PLE_MODEL } from '../models/ple.js';
import { SHARED_BOTTOM_MODEL } from '../models/shared-bottom.js';
import { SINGLE_TASK_MODEL } from '../models/single-task.js';

/**
 * The model zoo, for a `ModelRegistry` (the CLI registers these, then the EKTM variants): each entry is a model's
 * definition (name, builder, options, search space, task support, description, paper) from its file in `models/`.
 * Adding a baseline = its file in `models/` plus one line here (see docs/adding-a-model.md).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const BASELINE_MODELS: readonly ModelDefinition<any>[] = [
  SINGLE_TASK_MODEL,
  SHARED_BOTTOM_MODEL,
  OMOE_MODEL,
  MMOE_MODEL,
  PLE_MODEL,
  CGC_MODEL,
  ESMM_MODEL,
  ESCM2_MODEL,
  AITM_MODEL,
];
