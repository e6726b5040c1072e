import { resolve } from 'node:path';
import type { OptionSpec } from '../cli/command-spec.js';
import type { TrainingHyperparameters } from '../util/training-hyperparameters.js';

/**
 * `--dataset`, `--data-dir`, `--task-set`: how every command names its data, the same everywhere. `defaultDataset`
 * makes `--dataset` optional.
 */
export function datasetOptions(defaultDataset?: string): OptionSpec[] {
  const required = defaultDataset === undefined;
  return [
    {
      name: 'dataset',
      type: 'string',
      valueName: '<name|spec.json>',
      description: 'built-in dataset name (see `ektm datasets list`) or a JSON dataset spec file',
      required,
      ...(required ? {} : { defaultText: defaultDataset }),
    },
    {
      name: 'data-dir',
      type: 'string',
      valueName: '<dir>',
      description: 'folder holding the data files (laid out like ../shared/data)',
      defaultText: 'the download cache (ektm datasets download)',
    },
    { name: 'task-set', type: 'string', valueName: '<name>', description: "the dataset's task set", defaultText: "the dataset's default" },
    {
      name: 'max-rows',
      type: 'string',
      valueName: '<n>',
      description: 'read at most this many training rows (quick runs)',
      defaultText: 'all',
    },
  ];
}

/** The training protocol flags shared by `train` and `compare`. */
export function trainingOptions(defaults: TrainingHyperparameters): OptionSpec[] {
  return [
    { name: 'epochs', type: 'string', valueName: '<n>', description: 'maximum training epochs', defaultText: String(defaults.epochs) },
    {
      name: 'batch-size',
      type: 'string',
      valueName: '<n>',
      description: 'rows per training step',
      defaultText: String(defaults.batchSize),
    },
    {
      name: 'learning-rate',
      type: 'string',
      valueName: '<x>',
      description: 'Adam learning rate',
      defaultText: String(defaults.learningRate),
    },
    {
      name: 'patience',
      type: 'string',
      valueName: '<n>',
      description: 'validations without improvement before early stopping (epochs, with one validation per epoch)',
      defaultText: String(defaults.patience),
    },
    {
      name: 'validations-per-epoch',
      type: 'string',
      valueName: '<n>',
      description: 'validations per epoch, evenly spaced, so that early stopping can act inside an epoch',
      defaultText: String(defaults.validationsPerEpoch),
    },
    {
      name: 'embedding-l2',
      type: 'string',
      valueName: '<x>',
      description: 'L2 penalty on the embedding vectors each batch looks up',
      defaultText: String(defaults.embeddingL2),
    },
    {
      name: 'embedding-dim',
      type: 'string',
      valueName: '<n>',
      description: 'embedding dimension of every categorical feature',
      defaultText: String(defaults.embeddingDim),
    },
  ];
}

/**
 * The `--dataset` value as `loadDataset` needs it: a built-in name as is, a spec path (ends in `.json` or
 * holds a path separator) resolved against the working directory of the command.
 */
export function datasetArgument(value: string, cwd: string): string {
  return value.endsWith('.json') || value.includes('/') || value.includes('\\') ? resolve(cwd, value) : value;
}
