/**
 * The stable result of `ektm compare`, written by `--json` and embedded in the HTML report.
 * Keys listed here never change meaning; new keys may be added.
 */
import type { CompareTuning } from '../tune/compare-tuning.js';
import type { TunedConfig } from '../tune/tuned-config.js';

/** Test metrics of one task in one run. `null` when undefined (e.g. a single class in the test split). */
export interface RunTaskMetrics {
  /** Exact test AUC in the task's own sample space. */
  auc: number | null;
  /** Mean test log loss in the task's own sample space. */
  logloss: number | null;
  /** Test rows counted for this task. */
  count?: number;
  /** Positive test rows counted for this task. */
  positives?: number;
}

/** One validation of a training curve (after an epoch, or inside one with several validations per epoch). */
export interface EpochPoint {
  /** Epochs of training done when it ran: 1 at the end of the first epoch, 1.25 a quarter into the second. */
  epoch: number;
  /** Optimizer steps done when it ran. */
  step?: number;
  /** At the end of an epoch: the mean training loss over the epoch's batches; null inside an epoch. */
  trainLoss: number | null;
  /** The early-stopping monitor on the validation split (higher is better). */
  monitor: number | null;
  /** Per-task validation metrics. */
  validation: Record<string, RunTaskMetrics>;
}

/**
 * A diagnostic output averaged over the test split: a router's task-similarity matrix `[T, T]`, a gate's
 * mean expert weights `[T, E]`, ...
 */
export interface RunDiagnostic {
  /** Diagnostic name as the model outputs it (`router/similarity`, `mmoe/gates`). */
  name: string;
  /** Shape after averaging over rows (e.g. `[3, 3]`). */
  shape: number[];
  /** Values, row-major. */
  values: number[];
  /** Names of the rows (tasks), when known. */
  rowLabels?: string[];
  /** Names of the columns (tasks or experts), when known. */
  columnLabels?: string[];
}

/** One model trained with one seed. */
export interface CompareRun {
  /** Model name from the registry (`mmoe`, `ektm`, ...). */
  model: string;
  /** Seed of the model's initialisers and of the shuffling. */
  seed: number;
  /** Epochs actually trained (early stopping may stop before the maximum). */
  epochs: number;
  /** The epoch (1-based) of the validation whose weights were restored and evaluated. */
  bestEpoch: number;
  /** The optimizer step of that validation (null in results written before validations inside epochs). */
  bestStep?: number | null;
  /** True when the run used every epoch and was still improving at its last validation: more epochs could help. */
  stoppedAtLimitImproving?: boolean;
  /** Wall-clock seconds of training (validation passes included). */
  trainSeconds: number;
  /** Training rows processed per second (rows × epochs / time spent in training steps). */
  trainSamplesPerSec: number;
  /** Trainable parameters of the model. */
  parameters: number;
  /** Test metrics keyed by task name. */
  tasks: Record<string, RunTaskMetrics>;
  /** Validation metrics per epoch. */
  curves: EpochPoint[];
  /** Diagnostics averaged over the test split. */
  diagnostics: RunDiagnostic[];
}

/** The whole comparison. */
export interface CompareResult {
  /** Dataset name. */
  dataset: string;
  /** Task set of the dataset, or null when the dataset has one. */
  taskSet: string | null;
  /** TensorFlow.js backend that ran the comparison. */
  backend: string;
  /** Every run, in model order then seed order. */
  results: CompareRun[];
  /** Task names in dataset order. */
  taskNames: string[];
  /** Tasks the early-stopping monitor averages (the dataset's targets). */
  targetTasks: string[];
  /** The protocol every run followed. */
  protocol: CompareProtocol;
  /** Row counts of the splits. */
  splits: SplitRows;
  /** Simulated data only: test AUC of the true probabilities per task (the best any model can do); else null. */
  optimalAuc: Record<string, number> | null;
  /** ISO time the comparison finished. */
  createdAt: string;
  /** Versions of ektm, tfjs and node. */
  versions: Record<string, string>;
  /**
   * Runs (`model#seed`) that did not finish: present only in a result written after the comparison was interrupted or
   * failed, which then holds the runs that did finish. `ektm compare --resume` trains the missing ones.
   */
  missingRuns?: string[];
  /** Models that were asked for but cannot run on the task set, and why (absent in results of older versions). */
  leftOut?: LeftOutModel[];
  /** The configurations models ran with instead of the protocol's values (`--config`, `--tune-trials`), by model. */
  configs?: Record<string, TunedConfig>;
  /** How `--tune-trials` tuned every model before the final seeds (absent without it). */
  tuning?: CompareTuning;
}

/** A model a comparison left out up front, because it cannot run on the task set. */
export interface LeftOutModel {
  /** Registry name. */
  model: string;
  /** One line: why (from the model's `supports`). */
  reason: string;
}

/** Row counts of the three splits of a dataset. */
export interface SplitRows {
  /** Training rows. */
  train: number;
  /** Validation rows (early stopping). */
  validation: number;
  /** Test rows (scored once). */
  test: number;
}

/** The training protocol shared by every run of a comparison. */
export interface CompareProtocol {
  /** Maximum epochs. */
  epochs: number;
  /** Rows per training step. */
  batchSize: number;
  /** Adam learning rate. */
  learningRate: number;
  /** Validations without improvement of the monitor before stopping. */
  patience: number;
  /** Validations per epoch (the last at the end of each epoch). */
  validationsPerEpoch?: number;
  /** Optimizer steps between validations inside an epoch. */
  validateEvery?: number;
  /** L2 penalty on the embedding vectors a batch looks up. */
  embeddingL2?: number;
  /** What early stopping watches, e.g. `mean validation AUC of cvr, ctcvr`. */
  monitor: string;
  /** Models that ran, in the order they were given (models left out are in `leftOut`). */
  models: string[];
  /** Seeds in the order they were given. */
  seeds: number[];
}
