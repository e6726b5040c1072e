import * as tf from '@tensorflow/tfjs-core';
import type { MultiTaskModel } from '../model/multi-task-model.js';
import { writeCheckpoint } from '../persistence/checkpoint.js';
import type { EarlyStoppingState } from './early-stopping.js';
import type { EpochLogs, ResolvedTrainOptions } from './train-options.js';
import { ModelFileError } from '../errors/model-file-error.js';

/** Format tag of the trainer's state inside a checkpoint's `extra`. */
const TRAINER_STATE_FORMAT = 'ektm-trainer-state';
const TRAINER_STATE_VERSION = 1;

/** The trainer's JSON state in a checkpoint (`extra`): everything besides tensors that a resumed run needs. */
export interface TrainerState {
  format: typeof TRAINER_STATE_FORMAT;
  version: typeof TRAINER_STATE_VERSION;
  /** Last completed epoch (from 0). */
  epoch: number;
  /** Shuffle seed of the run; an epoch's shuffle is `epochSeed(seed, epoch)`, so this and `epoch` are the RNG state. */
  seed: number;
  optimizer: string;
  lossWeighting: string;
  /** Loss-term names, to refuse a checkpoint of another model. */
  terms: string[];
  /** Learned loss-weighting variables (uncertainty log-variances) keyed by term. */
  logVariances: Record<string, number>;
  /** Best-so-far monitor tracking. */
  best: EarlyStoppingState | null;
  history: EpochLogs[];
  /** Set when the run ended by early stopping: a resume then has nothing left to do. */
  stoppedEarly: boolean;
}

/** The state to checkpoint after an epoch. */
export function trainerState(
  options: ResolvedTrainOptions,
  fields: Pick<TrainerState, 'epoch' | 'terms' | 'logVariances' | 'best' | 'history' | 'stoppedEarly'>,
): TrainerState {
  return {
    format: TRAINER_STATE_FORMAT,
    version: TRAINER_STATE_VERSION,
    seed: options.seed,
    optimizer: options.optimizer,
    lossWeighting: options.lossWeighting,
    ...fields,
  };
}

/** Checks that a checkpoint's state was written by this trainer for this model and these options. */
export function parseTrainerState(extra: unknown, model: MultiTaskModel, options: ResolvedTrainOptions, dir: string): TrainerState {
  const state = extra as TrainerState;
  if (!state || typeof state !== 'object' || state.format !== TRAINER_STATE_FORMAT || state.version !== TRAINER_STATE_VERSION) {
    throw new ModelFileError(
      `train: the checkpoint in ${dir} was not written by this trainer (format ${JSON.stringify((state as { format?: unknown })?.format)})`,
    );
  }
  const terms = model.spec.lossTerms.map((t) => t.name);
  if (state.terms.join('\u0000') !== terms.join('\u0000')) {
    throw new ModelFileError(`train: the checkpoint in ${dir} has loss terms ${state.terms.join(', ')}, the model has ${terms.join(', ')}`);
  }
  for (const key of ['optimizer', 'lossWeighting', 'seed'] as const) {
    if (state[key] !== options[key]) {
      throw new ModelFileError(
        `train: resume with ${key} ${JSON.stringify(options[key])}, but the checkpoint in ${dir} was trained with ${JSON.stringify(state[key])}`,
      );
    }
  }
  return state;
}

/** Writes the checkpoint of a finished epoch: weights, optimizer state, trainer state and the best weights kept. */
export async function checkpointEpoch(
  dir: string,
  model: MultiTaskModel,
  optimizer: tf.Optimizer,
  state: TrainerState,
  bestWeights: readonly tf.Tensor[] | undefined,
): Promise<void> {
  const optimizerWeights = await optimizer.getWeights();
  try {
    await writeCheckpoint(dir, { model, optimizerWeights, extra: state, ...(bestWeights ? { bestWeights: [...bestWeights] } : {}) });
  } finally {
    // getWeights returns the optimizer's live variables plus fresh scalars (the iteration count): free only those.
    tf.dispose(optimizerWeights.map((w) => w.tensor).filter((t) => !(t instanceof tf.Variable)));
  }
}
