import type { MonitorValue } from '../metrics/monitor.js';

/** The JSON-able state of the trainer's early stopper, kept in checkpoints. */
export interface EarlyStoppingState {
  /** Best monitor value so far (higher is better); `null` before the first finite value. */
  bestValue: number | null;
  /** Its description. */
  bestDescription: string | null;
  /** Epoch (from 0) of the best value. */
  bestEpoch: number | null;
  /** Epochs since the last improvement. */
  wait: number;
}

/**
 * Decides, epoch by epoch, whether the monitor improved (by more than `minDelta`) and whether `patience` epochs
 * have passed without an improvement. The monitor is oriented so that higher is better.
 */
export class EarlyStopper {
  private state: EarlyStoppingState = { bestValue: null, bestDescription: null, bestEpoch: null, wait: 0 };

  constructor(
    private readonly patience: number,
    private readonly minDelta: number,
  ) {}

  /** Records an epoch's value; returns whether it is a new best. */
  update(epoch: number, monitor: MonitorValue): boolean {
    const s = this.state;
    const improved = Number.isFinite(monitor.value) && (s.bestValue === null || monitor.value > s.bestValue + this.minDelta);
    if (improved) {
      this.state = { bestValue: monitor.value, bestDescription: monitor.description, bestEpoch: epoch, wait: 0 };
    } else {
      s.wait++;
    }
    return improved;
  }

  /** Whether training should stop: `patience` epochs in a row without an improvement (0 = stop at the first). */
  get shouldStop(): boolean {
    return this.state.wait > 0 && this.state.wait >= this.patience;
  }

  /** Epoch of the best value. */
  get bestEpoch(): number | undefined {
    return this.state.bestEpoch ?? undefined;
  }

  /** The best value, if any. */
  get best(): MonitorValue | undefined {
    return this.state.bestValue === null ? undefined : { value: this.state.bestValue, description: this.state.bestDescription ?? '' };
  }

  /** A copy of the state for a checkpoint. */
  snapshot(): EarlyStoppingState {
    return { ...this.state };
  }

  /** Restores a checkpointed state. */
  restore(state: EarlyStoppingState): void {
    this.state = { ...state };
  }
}
