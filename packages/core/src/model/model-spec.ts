import type { FeatureSpec } from '../features/feature-spec.js';
import type { LossTermSpec } from '../tasks/loss-terms.js';
import type { ResolvedTaskSpec } from '../tasks/task-spec.js';

/** Version of the metadata format written beside the tfjs model files. */
export const MODEL_SPEC_FORMAT = 'ektm-model';
export const MODEL_SPEC_VERSION = 1;

/**
 * What ektm knows about a composed model beyond its tfjs topology: features, tasks, the order of the model's
 * outputs, and the loss terms. Saved as `ektm.json` beside `model.json`, so that a loaded model trains,
 * evaluates and predicts exactly like the original.
 */
export interface ModelSpec {
  format: typeof MODEL_SPEC_FORMAT;
  version: typeof MODEL_SPEC_VERSION;
  /** Model name (e.g. the architecture: `mmoe`, `ektm`). */
  name: string;
  features: FeatureSpec[];
  tasks: ResolvedTaskSpec[];
  /** Record keys of the tfjs model's outputs, in order (`prob:<task>`, auxiliary `prob:...`, `diag:...`). */
  outputs: string[];
  lossTerms: LossTermSpec[];
  /** Whether the model has a numeric input besides the categorical one. */
  hasNumericInput: boolean;
  /** Free-form, JSON-safe description of how the model was built (architecture options), for reports. */
  architecture?: Record<string, unknown>;
}
