import * as tf from '@tensorflow/tfjs-core';
import { NonFiniteLossError, NonFiniteWeightError } from './non-finite-loss-error.js';
import type { WeightFiniteness } from './weight-finiteness.js';

/** Where the run stands, for the divergence errors' messages. */
export interface StepLossContext {
  /** Epoch index, from 0. */
  epoch: number;
  /** The last epoch whose checkpoint is intact, if any. */
  lastCheckpointEpoch: number | undefined;
  /** The run's learning rate, quoted in the advice. */
  learningRate: number;
}

/**
 * Collects the per-step loss tensors of an epoch and reads them back from the device in batches (one transfer for
 * many steps, with the weights' finiteness flags), so that the device is never waited on after every step. Each
 * read checks every term and every weight for NaN and infinity and adds the losses to the epoch's sums.
 */
export class StepLosses {
  private pending: tf.Tensor1D[] = [];
  private pendingFirstStep = 0;
  private steps = 0;
  private readonly sums: Float64Array;

  constructor(
    private readonly termNames: readonly string[],
    private readonly weightCheck: WeightFiniteness,
    private readonly context: StepLossContext,
  ) {
    this.sums = new Float64Array(termNames.length + 1);
  }

  /** Steps added so far this epoch. */
  get count(): number {
    return this.steps;
  }

  /** Number of steps whose losses are still on the device. */
  get pendingCount(): number {
    return this.pending.length;
  }

  /** Adds one step's `[terms + 1]` loss tensor (the reader owns it from now on). */
  add(losses: tf.Tensor1D): void {
    this.pending.push(losses);
    this.steps++;
  }

  /**
   * Reads every pending step's losses and the weights' finiteness flags in one transfer, checks them, and adds the
   * losses to the sums; returns the last step's losses by name. With `force` it runs even with no pending step, so
   * that nothing (a validation, a checkpoint) ever starts from diverged weights.
   */
  flush(force = false): Record<string, number> | undefined {
    if (this.pending.length === 0 && !force) return undefined;
    const width = this.termNames.length + 1;
    const lossCount = this.pending.length * width;
    const flags = this.weightCheck.flags();
    const joined = tf.concat([...this.pending, flags]);
    const values = joined.dataSync() as Float32Array;
    tf.dispose([joined, flags, ...this.pending]);
    const first = this.pendingFirstStep;
    this.pending = [];
    this.pendingFirstStep = this.steps;
    const { epoch, lastCheckpointEpoch, learningRate } = this.context;
    for (let s = 0; s < lossCount / width; s++) {
      for (let j = 0; j < width; j++) {
        const v = values[s * width + j]!;
        if (!Number.isFinite(v)) {
          const term = j < this.termNames.length ? this.termNames[j]! : 'total';
          throw new NonFiniteLossError(term, epoch, first + s, v, lastCheckpointEpoch, learningRate);
        }
        this.sums[j]! += v;
      }
    }
    const diverged = this.weightCheck.nonFinite(values.subarray(lossCount));
    if (diverged.length > 0) {
      throw new NonFiniteWeightError(
        diverged,
        this.weightCheck.weights.length,
        epoch,
        Math.max(this.steps - 1, 0),
        lastCheckpointEpoch,
        learningRate,
      );
    }
    return lossCount > 0 ? this.named(values.subarray(lossCount - width, lossCount)) : undefined;
  }

  /** The mean of every term's loss and of the total over the epoch's steps (call after a forced flush). */
  means(): Record<string, number> {
    return this.named(Float32Array.from(this.sums, (s) => s / Math.max(this.steps, 1)));
  }

  /** Frees tensors that were never read (after an error). */
  dispose(): void {
    tf.dispose(this.pending);
    this.pending = [];
  }

  private named(values: ArrayLike<number>): Record<string, number> {
    const out: Record<string, number> = {};
    this.termNames.forEach((name, j) => (out[name] = values[j]!));
    out.total = values[this.termNames.length]!;
    return out;
  }
}
