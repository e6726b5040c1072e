import type { OptionSchemaFor } from '../registry/option-schema.js';
import { OPTIMIZER_NAMES, type EarlyStoppingOptions, type TrainCallbacks, type TrainOptions } from './train-options.js';

/** The keys of {@link EarlyStoppingOptions}, documented (nested under `earlyStopping` in {@link TRAIN_OPTION_SCHEMA}). */
export const EARLY_STOPPING_OPTION_SCHEMA: OptionSchemaFor<EarlyStoppingOptions> = {
  monitor: { type: 'object', doc: 'What to watch on the validation set (a task, or weights per task).', tunable: false },
  patience: { type: 'integer', min: 0, default: 3, doc: 'Validations (epochs, by default) without an improvement before stopping.' },
  minDelta: { type: 'number', min: 0, default: 0, doc: 'The smallest change that counts as an improvement.' },
  restoreBestWeights: { type: 'boolean', default: true, doc: "Whether the model ends with its best validation's weights." },
};

/** The hooks of {@link TrainCallbacks}, documented (a misspelt hook is an error, not a hook that never runs). */
export const TRAIN_CALLBACKS_SCHEMA: OptionSchemaFor<TrainCallbacks> = {
  onEpochEnd: { type: 'function', doc: 'After every epoch.', tunable: false },
  onValidation: { type: 'function', doc: 'After every validation.', tunable: false },
  onBatchEnd: { type: 'function', doc: 'After every optimizer step.', tunable: false },
  onTrainEnd: { type: 'function', doc: 'Once, after the last epoch.', tunable: false },
};

/**
 * Every key of {@link TrainOptions}, with its type, default and whether a search space may tune it. `train()` rejects
 * keys that are not here (a misspelt `batchsize` is an error naming it), and search spaces resolve training keys
 * (`learningRate`, `batchSize`, `weightDecay` for L2, `earlyStopping.patience`) against it.
 */
export const TRAIN_OPTION_SCHEMA: OptionSchemaFor<TrainOptions> = {
  train: { type: 'object', doc: 'Training rows: an encoded table or a streaming source.', tunable: false },
  validation: { type: 'object', doc: 'Validation rows; exact per-task metrics after every epoch.', tunable: false },
  epochs: { type: 'integer', min: 1, default: 10, doc: 'Number of epochs.' },
  validateEvery: {
    type: 'integer',
    min: 1,
    defaultText: 'only at the end of every epoch',
    doc: 'Also validate every this many steps inside each epoch (early stopping then counts validations).',
    tunable: false,
  },
  embeddingL2: { type: 'number', min: 0, default: 0, doc: 'L2 penalty on the embedding vectors each batch looks up.' },
  batchSize: { type: 'integer', min: 1, default: 2048, doc: 'Rows per optimizer step.' },
  evalBatchSize: { type: 'integer', min: 1, default: 8192, doc: 'Rows per forward pass when evaluating.', tunable: false },
  optimizer: { type: 'string', choices: OPTIMIZER_NAMES, default: 'adam', doc: 'Optimizer.' },
  learningRate: { type: 'number', min: 0, exclusiveMin: true, defaultText: '1e-3 (0.01 for sgd and adagrad)', doc: 'Learning rate.' },
  clipNorm: { type: 'number', min: 0, exclusiveMin: true, defaultText: 'none', doc: 'Global gradient-norm clipping.' },
  weightDecay: {
    type: 'number',
    min: 0,
    defaultText: '0 (0.01 for adamw)',
    doc: 'L2 regularisation as decoupled weight decay: every kernel and embedding table shrinks by lr·weightDecay a step.',
  },
  lossWeighting: { type: 'string', choices: ['fixed', 'uncertainty'], default: 'fixed', doc: 'How loss terms are combined.' },
  taskWeights: { type: 'object', doc: 'Overrides of loss-term weights by term name.', tunable: false },
  earlyStopping: { type: 'object', fields: EARLY_STOPPING_OPTION_SCHEMA, doc: 'When to stop and which epoch to keep.' },
  seed: { type: 'integer', default: 0, doc: 'Seed of the row shuffling.', tunable: false },
  checkpointDir: { type: 'string', doc: 'Folder of the per-epoch checkpoint.', tunable: false },
  resume: { type: 'boolean', default: false, doc: 'Continue from the checkpoint in checkpointDir.', tunable: false },
  callbacks: { type: 'object', fields: TRAIN_CALLBACKS_SCHEMA, doc: 'Hooks called during training.', tunable: false },
  progress: { type: 'string', choices: ['auto', 'bar', 'lines', 'none'], default: 'auto', doc: 'How progress is shown.', tunable: false },
  progressStream: { type: 'object', doc: 'Where progress goes.', tunable: false },
  lossReadEvery: { type: 'integer', min: 1, default: 10, doc: 'Steps between reads of the losses.', tunable: false },
};
