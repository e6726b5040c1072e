import { DENSE_ACTIVATIONS, type DenseStackOptions } from '../layers/dense-stack.js';
import type { FeatureSpec } from '../features/feature-spec.js';
import type { TaskSpec } from '../tasks/task-spec.js';
import type { OptionSchemaFor } from './option-schema.js';
import type { SearchSpace } from './search-space.js';

/** What every registered model builder takes besides its own options: the data, the seed and the shared sizes. */
export interface ModelBuildOptions {
  /** Input features (from a dataset). */
  features: FeatureSpec[];
  /** Tasks, in output order. */
  tasks: TaskSpec[];
  /** Seed of every initializer and dropout mask. Default 0. */
  seed?: number;
  /** Embedding dimension of every categorical feature. Default 8. */
  embeddingDim?: number;
  /** The tower of every task (hidden layers before its head). Default `{ units: [32] }` unless the model says otherwise. */
  tower?: Partial<DenseStackOptions>;
  /** Model name, recorded with the saved model. Default: the registry name. */
  name?: string;
}

/** The keys of a dense stack (an MLP: towers, bottoms, per-task layers), documented. */
export const DENSE_STACK_OPTION_SCHEMA: OptionSchemaFor<DenseStackOptions> = {
  units: { type: 'integer[]', min: 1, doc: 'Output units of each layer, e.g. [256, 128].' },
  activation: { type: 'string', choices: DENSE_ACTIVATIONS, default: 'relu', doc: 'Activation after every layer.' },
  activateLast: { type: 'boolean', default: true, doc: 'Whether the last layer is activated too.' },
  dropout: { type: 'number', min: 0, max: 1, exclusiveMax: true, default: 0, doc: 'Dropout after each layer, in training only.' },
  normalization: { type: 'string', choices: ['none', 'batch', 'layer'], default: 'none', doc: 'Normalisation before each activation.' },
};

/** The options of {@link ModelBuildOptions}, documented; every registered model accepts them. */
export const COMMON_MODEL_OPTION_SCHEMA: OptionSchemaFor<ModelBuildOptions> = {
  features: { type: 'array', doc: 'Input features (from a dataset).', tunable: false },
  tasks: { type: 'array', doc: 'Tasks, in output order.', tunable: false },
  seed: { type: 'integer', default: 0, doc: 'Seed of every initializer and dropout mask.', tunable: false },
  embeddingDim: { type: 'integer', min: 1, default: 8, doc: 'Embedding dimension of every categorical feature.' },
  tower: { type: 'object', fields: DENSE_STACK_OPTION_SCHEMA, default: { units: [32] }, doc: 'The tower of every task.' },
  name: { type: 'string', defaultText: 'the registry name', doc: 'Model name, recorded with the saved model.', tunable: false },
};

/**
 * What every model's search space starts from: Adam's learning rate, the batch size, the embedding dimension, L2 on the
 * weights (decoupled weight decay) and on the embeddings a batch looks up (what keeps rare ids from memorising their
 * few labels on sparse data), and the towers' width and dropout. Each model adds its own options (experts, levels,
 * router, ...), so that every model is searched over its training and regularisation knobs alike.
 */
export const COMMON_SEARCH_SPACE: SearchSpace = {
  learningRate: { log: [3e-4, 1e-2] },
  batchSize: { choice: [256, 512, 1024, 2048] },
  embeddingDim: { choice: [4, 8, 16] },
  weightDecay: { choice: [0, 1e-5, 1e-4, 1e-3] },
  embeddingL2: { choice: [0, 1e-5, 1e-4, 1e-3] },
  'tower.units': { choice: [[16], [32], [64], [64, 32]] },
  'tower.dropout': { uniform: [0, 0.3] },
};
