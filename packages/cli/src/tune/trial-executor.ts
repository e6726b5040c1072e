import { InterruptedError } from '@ektm/core';
import { runTrial, type TrialContext, type TrialJob } from './run-trial.js';
import type { TrialRecord } from './trial-record.js';

/** Runs trial runs, `slots` at a time: in this process, or in worker processes. */
export interface TrialExecutor {
  /** How many runs it can do at once. */
  readonly slots: number;
  /** Runs one trial; rejects with an `InterruptedError` when {@link TrialExecutor.stop} abandons it. */
  run(job: TrialJob): Promise<TrialRecord>;
  /** Abandons every run in progress (their promises reject with an `InterruptedError`). */
  stop(): void;
  /** Frees what it holds (worker processes). */
  close(): Promise<void>;
}

/** One run at a time in this process (`--workers 1`): no process to start, and a model registered in code is found. */
export class InProcessExecutor implements TrialExecutor {
  readonly slots = 1;
  private stopped = false;

  constructor(private readonly context: TrialContext) {}

  run(job: TrialJob): Promise<TrialRecord> {
    if (this.stopped) return Promise.reject(new InterruptedError('the search was stopped'));
    return runTrial(this.context, job, () => this.stopped);
  }

  stop(): void {
    this.stopped = true;
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
