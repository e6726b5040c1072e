/**
 * Thrown when a loss term becomes NaN or infinite. Training stops at once: the checkpoint of the last completed
 * epoch is left as it was (nothing is written for the failing epoch), so a run can resume from it with a smaller
 * learning rate or clipping. The model in memory holds the diverged weights.
 */
export class NonFiniteLossError extends Error {
  /** `NonFiniteLossError`, for `error.name` checks across realms. */
  override readonly name = 'NonFiniteLossError';

  constructor(
    /** The loss term whose value was not finite (`total` when only the weighted sum was). */
    readonly term: string,
    /** Epoch index, from 0. */
    readonly epoch: number,
    /** Step index within the epoch, from 0. */
    readonly step: number,
    /** The offending value (NaN, Infinity or -Infinity). */
    readonly value: number,
    /** The last completed epoch whose checkpoint is intact, or undefined when none was written. */
    readonly lastCheckpointEpoch: number | undefined,
  ) {
    super(
      `train: loss term "${term}" is ${value} at epoch ${epoch + 1}, step ${step + 1}; training stopped. ` +
        (lastCheckpointEpoch === undefined
          ? 'No checkpoint was written before it. '
          : `The checkpoint of epoch ${lastCheckpointEpoch + 1} is intact; resume from it. `) +
        'Try a smaller learningRate or set clipNorm.',
    );
  }
}
