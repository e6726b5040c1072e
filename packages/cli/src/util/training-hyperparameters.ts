/**
 * The hyperparameters that several commands share, declared once so that `ektm train`'s and `ektm compare`'s
 * defaults and `ektm bench`'s reference workload describe them the same way.
 */

/** Sizes of one optimizer step: every model-building command has them. */
export interface StepHyperparameters {
  /** Embedding dimension of every categorical feature. */
  readonly embeddingDim: number;
  /** Adam learning rate. */
  readonly learningRate: number;
  /** Rows per step. */
  readonly batchSize: number;
}

/** {@link StepHyperparameters} plus the length of a training run (what `--epochs` and `--patience` set). */
export interface TrainingHyperparameters extends StepHyperparameters {
  /** Maximum epochs. */
  readonly epochs: number;
  /** Early-stopping patience in validations (epochs, with one validation per epoch). */
  readonly patience: number;
  /** Validations per epoch, evenly spaced, the last at the end of the epoch. */
  readonly validationsPerEpoch: number;
  /** L2 penalty on the embedding vectors each batch looks up. */
  readonly embeddingL2: number;
}
