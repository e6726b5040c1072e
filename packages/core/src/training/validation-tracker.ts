import * as tf from '@tensorflow/tfjs-core';
import type { EncodedTable } from '../data/encoded-table.js';
import { monitorValue, type Monitor } from '../metrics/monitor.js';
import type { MultiTaskModel } from '../model/multi-task-model.js';
import { EarlyStopper, type EarlyStoppingState } from './early-stopping.js';
import { evaluate } from './evaluate.js';
import type { ValidationPoint } from './train-options.js';

/** What a {@link ValidationTracker} needs to know. */
export interface ValidationTrackerOptions {
  /** The validation rows. */
  table: EncodedTable;
  /** What early stopping watches (higher is better). */
  monitor: Monitor;
  /** Validations without an improvement before stopping; Infinity when early stopping is off. */
  patience: number;
  /** The smallest change that counts as an improvement. */
  minDelta: number;
  /** Whether the weights of the best validation are kept, to be restored at the end. */
  keepBest: boolean;
  /** Rows per forward pass. */
  evalBatchSize: number;
}

/**
 * Runs validations during training and remembers the best one: exact per-task metrics on the whole validation set,
 * the monitor, the early-stopping decision, and (when asked) a copy of the weights at the best validation, so that a
 * run whose best point lies inside an epoch ends with exactly those weights.
 */
export class ValidationTracker {
  /** The early-stopping state (patience counts validations). */
  readonly stopper: EarlyStopper;
  private bestWeights: tf.Tensor[] | undefined;

  constructor(
    private readonly model: MultiTaskModel,
    private readonly options: ValidationTrackerOptions,
  ) {
    this.stopper = new EarlyStopper(options.patience, options.minDelta);
  }

  /** Evaluates the model now, at `epoch` after `step` steps of the run, `epochProgress` of the way through the epoch. */
  validate(epoch: number, step: number, epochProgress: number): ValidationPoint {
    const validation = evaluate(this.model, this.options.table, { batchSize: this.options.evalBatchSize });
    const monitor = monitorValue(validation, this.options.monitor);
    const improved = this.stopper.update({ epoch, step }, monitor);
    if (improved && this.options.keepBest) {
      tf.dispose(this.bestWeights ?? []);
      this.bestWeights = this.model.model.getWeights().map((t) => t.clone());
    }
    return { epoch, step, epochProgress, validation, monitor, improved };
  }

  /** Whether patience has run out. */
  get shouldStop(): boolean {
    return this.stopper.shouldStop;
  }

  /** The weights of the best validation, when kept (owned by the tracker; for checkpoints). */
  get keptWeights(): readonly tf.Tensor[] | undefined {
    return this.bestWeights;
  }

  /** Restores a checkpoint's early-stopping state and best weights (cloned; the caller keeps its tensors). */
  restore(state: EarlyStoppingState | null, bestWeights: readonly tf.Tensor[] | undefined): void {
    if (state) this.stopper.restore(state);
    if (bestWeights && this.options.keepBest) {
      tf.dispose(this.bestWeights ?? []);
      this.bestWeights = bestWeights.map((t) => t.clone());
    }
  }

  /**
   * Puts the best validation's weights into the model, unless the model already holds them (the best validation
   * was the last one, at `lastStep`). Returns whether it changed the weights.
   */
  restoreBest(lastStep: number): boolean {
    if (!this.bestWeights || this.stopper.bestStep === lastStep) return false;
    this.model.model.setWeights(this.bestWeights);
    return true;
  }

  /** Frees the kept weights. */
  dispose(): void {
    tf.dispose(this.bestWeights ?? []);
    this.bestWeights = undefined;
  }
}
