/**
 * The trainer's divergence errors. Training stops at once when a loss term or a weight becomes NaN or infinite: the
 * checkpoint of the last completed epoch is left as it was (nothing is written for the failing epoch), so a run can
 * resume from it with a smaller learning rate or clipping. The model in memory holds the diverged weights.
 */

import { EktmError } from '../errors/ektm-error.js';

/** The end of every divergence message: what became of the checkpoint, and the two options that usually help. */
function stoppedAdvice(lastCheckpointEpoch: number | undefined, learningRate: number | undefined): string {
  return (
    'training stopped. ' +
    (lastCheckpointEpoch === undefined
      ? 'No checkpoint was written before it. '
      : `The checkpoint of epoch ${lastCheckpointEpoch + 1} is intact; resume from it. `) +
    `Try a smaller learningRate${learningRate === undefined ? '' : ` (it is ${learningRate})`} or set clipNorm (e.g. clipNorm: 1); ` +
    'on the command line: --learning-rate, and ektm train --clip-norm 1.'
  );
}

/**
 * Base of the errors thrown when training diverges ({@link NonFiniteLossError}, {@link NonFiniteWeightError}), so that
 * one `instanceof` check catches both.
 */
export class TrainingDivergedError extends EktmError {
  /** The concrete error's class name, for `error.name` checks across realms. */
  override readonly name: string = 'TrainingDivergedError';
  readonly kind = 'training' as const;

  constructor(
    message: string,
    /** Epoch index, from 0. */
    readonly epoch: number,
    /** Step index within the epoch, from 0: the step found to have diverged (or the last before the check that found it). */
    readonly step: number,
    /** The last completed epoch whose checkpoint is intact, or undefined when none was written. */
    readonly lastCheckpointEpoch: number | undefined,
  ) {
    super(message);
  }
}

/** Thrown when a loss term becomes NaN or infinite. */
export class NonFiniteLossError extends TrainingDivergedError {
  /** `NonFiniteLossError`, for `error.name` checks across realms. */
  override readonly name = 'NonFiniteLossError';

  constructor(
    /** The loss term whose value was not finite (`total` when only the weighted sum was). */
    readonly term: string,
    epoch: number,
    step: number,
    /** The offending value (NaN, Infinity or -Infinity). */
    readonly value: number,
    lastCheckpointEpoch: number | undefined,
    /** The run's learning rate, quoted in the advice; omitted when unknown. */
    learningRate?: number,
  ) {
    super(
      `train: loss term "${term}" is ${value} at epoch ${epoch + 1}, step ${step + 1}; ${stoppedAdvice(lastCheckpointEpoch, learningRate)}`,
      epoch,
      step,
      lastCheckpointEpoch,
    );
  }
}

/**
 * Thrown when a weight (a model weight or a loss-weighting variable) holds NaN or ±Infinity while every loss term is
 * still finite. That happens with a far too large learning rate: the predictions saturate at 0 or 1, the clipped
 * cross-entropy stays finite, and only the weights show the divergence.
 */
export class NonFiniteWeightError extends TrainingDivergedError {
  /** `NonFiniteWeightError`, for `error.name` checks across realms. */
  override readonly name = 'NonFiniteWeightError';

  constructor(
    /** Names of the weights holding NaN or ±Infinity, in the model's weight order. */
    readonly weights: readonly string[],
    /** How many weights were checked (for the message). */
    readonly checkedWeights: number,
    epoch: number,
    /** The last step before the check that found the weights diverged (the check runs every `lossReadEvery` steps). */
    step: number,
    lastCheckpointEpoch: number | undefined,
    /** The run's learning rate, quoted in the advice; omitted when unknown. */
    learningRate?: number,
  ) {
    const more = weights.length > 1 ? ` (and ${weights.length - 1} more of the ${checkedWeights} weights)` : '';
    super(
      `train: weight "${weights[0]}"${more} became NaN or infinite by epoch ${epoch + 1}, step ${step + 1}, while the loss was still ` +
        `finite; ${stoppedAdvice(lastCheckpointEpoch, learningRate)}`,
      epoch,
      step,
      lastCheckpointEpoch,
    );
  }
}
