/** The messages between `ektm tune` and its worker processes (JSON over the IPC channel of `child_process.fork`). */
import type { TrialJob } from './run-trial.js';
import type { BudgetKind } from './tune-budget.js';
import type { TrialRecord, TuneProtocol } from './trial-record.js';
import type { TuningDataSource } from './tuning-data.js';

/** Sent once, first: what the worker loads and trains. */
export interface WorkerInit {
  /** Always `init`. */
  type: 'init';
  /** The data (the worker loads train and validation itself). */
  source: TuningDataSource;
  /** Registry name of the model (looked up in the CLI's `MODELS`). */
  model: string;
  /** The settings every trial shares. */
  protocol: TuneProtocol;
  /** Seed of every trial's training. */
  seed: number;
  /** Whether the resource counts epochs or seconds. */
  budgetKind: BudgetKind;
  /** The tasks the score averages. */
  targets: string[];
}

/** A trial run for the worker. */
export interface WorkerJob {
  /** Always `job`. */
  type: 'job';
  /** The run. */
  job: TrialJob;
}

/** An error as it crosses the process boundary: its kind keeps the exit code, its key and file the message's pointers. */
export interface WorkerError {
  /** `EktmError` kind (`config`, `data`, ...), when it had one. */
  kind?: string;
  /** The message. */
  message: string;
  /** ConfigError: the key at fault. */
  key?: string;
  /** ConfigError or DataError: the file. */
  file?: string;
  /** DataError: the line. */
  line?: number;
}

/** What a worker sends back: ready after loading, a record per run, or the error that stopped it. */
export type WorkerReply =
  { type: 'ready'; backend: string } | { type: 'result'; record: TrialRecord } | { type: 'error'; error: WorkerError };
