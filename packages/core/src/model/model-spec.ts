import type { FeatureSpec } from '../features/feature-spec.js';
import type { LossTermSpec } from '../tasks/loss-terms.js';
import type { ResolvedTaskSpec } from '../tasks/task-spec.js';

/** Identifier of the metadata format written beside the tfjs model files (`ektm.json`). */
export const MODEL_SPEC_FORMAT = 'ektm-model';
/** Version of that format; bumped when a change would make older readers misread a spec. */
export const MODEL_SPEC_VERSION = 1;

/**
 * What ektm knows about a composed model beyond its tfjs topology: features, tasks, the order of the model's
 * outputs, and the loss terms. Saved as `ektm.json` beside `model.json`, so that a loaded model trains,
 * evaluates and predicts exactly like the original.
 */
export interface ModelSpec {
  /** Always {@link MODEL_SPEC_FORMAT}: tells an ektm spec apart from other JSON. */
  format: typeof MODEL_SPEC_FORMAT;
  /** The {@link MODEL_SPEC_VERSION} the spec was written with. */
  version: typeof MODEL_SPEC_VERSION;
  /** Model name (e.g. the architecture: `mmoe`, `ektm`). */
  name: string;
  /** The input features as given to the builder (the encoded inputs put categorical ones first). */
  features: FeatureSpec[];
  /** The tasks, defaults filled in, in the order given to the builder. */
  tasks: ResolvedTaskSpec[];
  /** Record keys of the tfjs model's outputs, in order (`prob:<task>`, auxiliary `prob:...`, `diag:...`). */
  outputs: string[];
  /** Every term of the training loss (task losses and auxiliary ones contributed by blocks). */
  lossTerms: LossTermSpec[];
  /** Whether the model has a numeric input besides the categorical one. */
  hasNumericInput: boolean;
  /** Free-form, JSON-safe description of how the model was built (architecture options), for reports. */
  architecture?: Record<string, unknown>;
}
