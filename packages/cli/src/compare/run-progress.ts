import { formatDuration } from '@ektm/core';

/**
 * "Run k of N" lines with an overall time left, for a comparison of many runs: the estimate is the mean wall-clock
 * time of the runs of the same model so far (of every run when the model has none yet) times the runs left.
 */
export class RunProgress {
  private done = 0;
  private readonly seconds = new Map<string, number[]>();
  private started = 0;

  constructor(
    /** Runs in the whole comparison. */
    private readonly total: number,
    /** The models of the runs still to do, one entry per run, in order. */
    private readonly pending: string[],
    /** Where the lines go. */
    private readonly log: (line: string) => void,
    /** Runs finished before (a resumed comparison); counted as done. */
    alreadyDone = 0,
  ) {
    this.done = alreadyDone;
  }

  /** Before a run: `run 3 of 14: mmoe seed 1 (2 done, about 4:10 left)`. */
  start(model: string, seed: number, now = performance.now()): void {
    this.started = now;
    const left = this.secondsLeft();
    const eta = left === undefined ? '' : `, about ${formatDuration(left)} left`;
    this.log(`run ${this.done + 1} of ${this.total}: ${model} seed ${seed} (${this.done} done${eta})`);
  }

  /** After a run: records its time. */
  end(model: string, now = performance.now()): void {
    const list = this.seconds.get(model) ?? [];
    list.push((now - this.started) / 1000);
    this.seconds.set(model, list);
    this.done++;
    this.pending.splice(this.pending.indexOf(model), 1);
  }

  /** Seconds left for every pending run, undefined before any run has been timed. */
  secondsLeft(): number | undefined {
    const all = [...this.seconds.values()].flat();
    if (all.length === 0) return undefined;
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const overall = mean(all);
    return this.pending.reduce((sum, model) => sum + (this.seconds.has(model) ? mean(this.seconds.get(model)!) : overall), 0);
  }
}
