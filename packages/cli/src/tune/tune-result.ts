import type { SearchSpace } from '@ektm/core';
import type { TrialRecord, TuneProtocol } from './trial-record.js';
import type { Rung, TuneBudget } from './tune-budget.js';
import type { TunedConfig } from './tuned-config.js';

/** A rung of a finished (or stopped) search: its plan and how many of its runs are recorded. */
export interface RungSummary extends Rung {
  /** Runs of the rung recorded in trials.jsonl. */
  finished: number;
}

/**
 * The outcome of `ektm tune` (`--json` prints it; `DIR/summary.json` holds it): the search, every run, the winner and its
 * configuration. Keys listed here never change meaning; new keys may be added.
 */
export interface TuneResult {
  /** Registry name of the model. */
  model: string;
  /** Dataset name. */
  dataset: string;
  /** Task set. */
  taskSet: string;
  /** What the score is: `mean validation AUC of <targets>`. */
  monitor: string;
  /** The tasks the score averages. */
  targets: string[];
  /** Seed of the configurations and of every run's training. */
  seed: number;
  /** Trials in rung 0. */
  trials: number;
  /** Worker processes (1: in this process). */
  workers: number;
  /** The budget. */
  budget: TuneBudget;
  /** The rungs of successive halving. */
  rungs: RungSummary[];
  /** The search space searched. */
  space: SearchSpace;
  /** The settings every run shared. */
  protocol: TuneProtocol;
  /** Every run of this search, by rung then trial (the same set whatever the workers or interruptions). */
  runs: TrialRecord[];
  /** The winning run: the best score of the last rung that has one; null when every run failed. */
  best: TrialRecord | null;
  /** The winner as a configuration file (what best.json holds); null when every run failed. */
  bestConfig: TunedConfig | null;
  /** Runs found in trials.jsonl at the start (done by an earlier, interrupted or smaller, search). */
  reused: number;
  /** Whether a truncated last line of trials.jsonl was dropped (its run was done again). */
  droppedTruncatedLine: boolean;
  /** Wall-clock seconds of this session. */
  seconds: number;
  /** The TensorFlow.js backend of this process. */
  backend: string;
  /** The files of the search. */
  files: {
    /** trials.jsonl. */
    trials: string;
    /** best.json (null when every run failed). */
    best: string | null;
    /** summary.json. */
    summary: string;
  };
  /** ISO time the search finished. */
  createdAt: string;
}
