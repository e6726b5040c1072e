import { formatDuration, type BudgetKind } from './tune-budget.js';
import type { TrialRecord } from './trial-record.js';

/**
 * The ETA of a search: the seconds one unit of resource (an epoch, or a second of a time budget) took in the runs
 * finished so far, times the units left, shared by the workers. Early stopping makes it an upper bound.
 */
export class TuneProgress {
  private seconds = 0;
  private units = 0;
  private done = 0;

  constructor(
    /** Runs in the whole search. */
    private readonly total: number,
    /** Units of resource of the runs still to do (updated by {@link TuneProgress.finished}). */
    private remainingUnits: number,
    private readonly slots: number,
    /** Epoch budgets measure a run's speed on the epochs it trained; time budgets on its seconds. */
    private readonly kind: BudgetKind,
  ) {}

  /** Counts runs that were already recorded (they take no time). */
  reused(runs: number, units: number): void {
    this.done += runs;
    this.remainingUnits -= units;
  }

  /** Counts a finished run. */
  finished(record: TrialRecord, plannedUnits: number): void {
    this.done += 1;
    this.remainingUnits -= plannedUnits;
    // Early stopping may end a run before its resource: its speed is measured on what it trained.
    const trained = this.kind === 'epochs' && record.epochs > 0 ? Math.min(plannedUnits, record.epochs) : plannedUnits;
    if (record.status === 'ok') {
      this.seconds += record.seconds;
      this.units += trained;
    }
  }

  /** `[5/11]`: runs done of the whole search. */
  count(): string {
    return `[${this.done}/${this.total}]`;
  }

  /** `ETA 3m 20s`, or `ETA unknown` before the first run. */
  eta(): string {
    if (this.units === 0) return 'ETA unknown';
    return `ETA ${formatDuration(((this.seconds / this.units) * Math.max(0, this.remainingUnits)) / this.slots)}`;
  }
}
