import type { MonitorValue } from '../metrics/monitor.js';

/** Where in training a validation happened: the epoch (from 0) and the optimizer step of the run (from 1). */
export interface TrainingPoint {
  /** Epoch index, from 0. */
  epoch: number;
  /** Optimizer steps of the run so far (resumed ones included) when the validation ran. */
  step: number;
}

/** The JSON-able state of the trainer's early stopper, kept in checkpoints. */
export interface EarlyStoppingState {
  /** Best monitor value so far (higher is better); `null` before the first finite value. */
  bestValue: number | null;
  /** Its description. */
  bestDescription: string | null;
  /** Epoch (from 0) of the best value. */
  bestEpoch: number | null;
  /** Optimizer step of the run at the best value (absent in checkpoints of older versions). */
  bestStep?: number | null;
  /** Validations since the last improvement. */
  wait: number;
}

/**
 * Decides, validation by validation, whether the monitor improved (by more than `minDelta`) and whether `patience`
 * validations have passed without an improvement. With one validation per epoch (the default) a validation is an
 * epoch; with `validateEvery` steps, patience counts those validations. The monitor is oriented so that higher is
 * better.
 */
export class EarlyStopper {
  private state: EarlyStoppingState = { bestValue: null, bestDescription: null, bestEpoch: null, bestStep: null, wait: 0 };

  constructor(
    private readonly patience: number,
    private readonly minDelta: number,
  ) {}

  /** Records a validation's value (at an epoch index, or at a point of training); returns whether it is a new best. */
  update(at: number | TrainingPoint, monitor: MonitorValue): boolean {
    const point = typeof at === 'number' ? { epoch: at, step: null } : at;
    const s = this.state;
    const improved = Number.isFinite(monitor.value) && (s.bestValue === null || monitor.value > s.bestValue + this.minDelta);
    if (improved) {
      this.state = {
        bestValue: monitor.value,
        bestDescription: monitor.description,
        bestEpoch: point.epoch,
        bestStep: point.step,
        wait: 0,
      };
    } else {
      s.wait++;
    }
    return improved;
  }

  /** Whether training should stop: `patience` validations in a row without an improvement (0 = stop at the first). */
  get shouldStop(): boolean {
    return this.state.wait > 0 && this.state.wait >= this.patience;
  }

  /** Epoch of the best value. */
  get bestEpoch(): number | undefined {
    return this.state.bestEpoch ?? undefined;
  }

  /** Optimizer step of the run at the best value, when updates gave one. */
  get bestStep(): number | undefined {
    return this.state.bestStep ?? undefined;
  }

  /** Validations since the last improvement. */
  get wait(): number {
    return this.state.wait;
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
    this.state = { bestStep: null, ...state };
  }
}
