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
  /** Every model against each reference on every target and the mean of targets, with CI and p (absent in older results). */
  comparisons?: Comparison[];
  /** References, Holm family, test positives per task, leaders and the share of the gap closed (absent in older results). */
  statistics?: ComparisonStatistics;
  /** With `--train-rows`: the same comparison at each training size, smallest first (the data-efficiency curve). */
  trainRowsCurve?: TrainRowsPoint[];
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

/** Task name of the comparisons of the mean over the target tasks (the quantity early stopping and the table rank on). */
export const MEAN_OF_TARGETS = 'mean of targets';

/**
 * A paired comparison of a model with a reference on the same test rows: one target task in its own sample space, or
 * the mean over the targets ({@link MEAN_OF_TARGETS}). Seeds are paired (seed s of the model with seed s of the reference).
 */
export interface Comparison {
  /** Target task, or `mean of targets`. */
  task: string;
  /** The model compared. */
  model: string;
  /** The model it is compared with. */
  reference: string;
  /** Why that reference: `single-task`, or `best baseline` (the non-EKTM model with the best mean validation monitor). */
  referenceRole: ReferenceRole;
  /** Mean over seeds of test AUC(model) − AUC(reference); null when the task's test rows cannot support the test. */
  deltaAuc: number | null;
  /** 95% confidence interval of deltaAuc. */
  ci95: [number, number] | null;
  /** Standard error of deltaAuc (test-set sampling and seed-to-seed variance). */
  se: number | null;
  /** Two-sided p-value of H0: equal AUCs. */
  p: number | null;
  /** Holm-adjusted p over the family of every comparison with the same reference (what the table's mark uses). */
  pHolm: number | null;
  /** How the seeds were combined and what the interval accounts for (from `@ektm/stats`), or why there is no test. */
  method: string;
  /** The seeds compared. */
  seeds: number[];
}

/** Why a model is a reference of the comparisons. */
export type ReferenceRole = 'single-task' | 'best baseline';

/** Whether the top model of a task is significantly above the runner-up (the table calls a model best only then). */
export interface TaskLeader {
  /** Task, or `mean of targets`. */
  task: string;
  /** Highest mean test AUC. */
  model: string;
  /** Second highest, or null with a single model. */
  runnerUp: string | null;
  /** AUC(model) − AUC(runner-up), mean over seeds. */
  deltaAuc: number | null;
  /** 95% confidence interval of deltaAuc. */
  ci95: [number, number] | null;
  /** Two-sided p-value (not adjusted: one test a task). */
  p: number | null;
  /** True when p < alpha: the table marks the model best. */
  best: boolean;
}

/** On simulated data: a model's share of the gap between single-task and the true probabilities closed, on one target. */
export interface GapClosedEntry {
  /** Target task. */
  task: string;
  /** The model. */
  model: string;
  /** The reference whose gap is measured (single-task). */
  reference: string;
  /** (AUC_model − AUC_reference) / (AUC_optimal − AUC_reference), mean over seeds; null when undefined. */
  share: number | null;
  /** 95% confidence interval of the share. */
  ci95: [number, number] | null;
  /** Test AUC of the true probabilities in the task's sample space. */
  aucOptimal: number;
  /** How the interval was computed (delta method per seed, seeds combined as `@ektm/stats` combineSeeds), or why it is missing. */
  method: string;
  /** Seeds combined. */
  seeds: number[];
}

/** The test rows of a task's own sample space. */
export interface TestSpace {
  /** Rows in the sample space. */
  rows: number;
  /** Positive rows among them: what the power of every comparison on the task depends on. */
  positives: number;
}

/** The statistics behind the comparisons: references, the family the p-values are adjusted over, the test rows per task. */
export interface ComparisonStatistics {
  /** Significance level of the marks (0.05). */
  alpha: number;
  /** Which p-value the marks use: `pHolm`. */
  markUses: 'pHolm';
  /** The family Holm's adjustment runs over. */
  holmFamily: string;
  /** The reference models: single-task when it ran, and the best baseline by validation (with its mean validation monitor). */
  references: ComparisonReferences;
  /** Test rows and positives per task in its own sample space. */
  testSpace: Record<string, TestSpace>;
  /** Per task and for the mean of targets: the top model and whether it is significantly above the runner-up. */
  leaders: TaskLeader[];
  /** Simulated data only: each model's share of the gap closed per target (null on real data or without single-task). */
  gapClosed: GapClosedEntry[] | null;
  /** What could not be computed, one line each (runs without kept predictions, a task with one class). */
  notes: string[];
}

/** A model's test AUC on one task at one training size, mean over seeds with its 95% CI. */
export interface CurvePoint {
  /** The model. */
  model: string;
  /** Task, or `mean of targets`. */
  task: string;
  /** Mean test AUC over seeds; null when undefined. */
  auc: number | null;
  /** 95% confidence interval of the mean AUC. */
  ci95: [number, number] | null;
  /** How the interval was computed (DeLong per seed, seeds combined as `@ektm/stats` combineSeeds). */
  method: string;
  /** Seeds combined. */
  seeds: number[];
}

/** One training size of a data-efficiency curve (`ektm compare --train-rows`). */
export interface TrainRowsPoint {
  /** Training rows: a prefix of one seeded shuffle of the training split, so a smaller size is a subset of a larger one. */
  trainRows: number;
  /** Training positives per task in its own sample space. */
  trainPositives: Record<string, number>;
  /** Every model's test AUC per target task and the mean of targets. */
  points: CurvePoint[];
  /** The comparisons at this size (as the top-level `comparisons` of the largest size). */
  comparisons: Comparison[];
  /** Runs that did not finish at this size. */
  missingRuns?: string[];
}

/** The references of a comparison's statistics. */
export interface ComparisonReferences {
  /** `single-task` when it ran and predicted every target; else null. */
  singleTask: string | null;
  /** The non-EKTM model with the highest mean validation monitor (among those predicting every target); null when none. */
  bestBaseline: BestBaseline | null;
}

/** The best baseline by validation and the score that chose it. */
export interface BestBaseline {
  /** Registry name. */
  model: string;
  /** Its early-stopping monitor at the restored best point, mean over seeds. */
  validationMonitor: number;
}
