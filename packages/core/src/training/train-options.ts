import type { EncodedTable } from '../data/encoded-table.js';
import type { TableSource } from '../data/table-source.js';
import type { Monitor, MonitorValue } from '../metrics/monitor.js';
import type { TaskMetrics } from '../metrics/task-metrics.js';
import type { ProgressMode, ProgressStream } from './progress.js';
import { ConfigError } from '../errors/config-error.js';

/** Optimizers the trainer can create; `adamw` is Adam with decoupled weight decay (default decay 0.01). */
export type OptimizerName = 'adam' | 'adamw' | 'sgd' | 'adagrad' | 'rmsprop';
/** Every allowed {@link OptimizerName}, for validation messages. */
export const OPTIMIZER_NAMES: readonly OptimizerName[] = ['adam', 'adamw', 'sgd', 'adagrad', 'rmsprop'];

/**
 * How the loss terms are combined:
 * - `fixed`: `Σ wᵢ·Lᵢ` with each term's weight (from its `LossTermSpec`, or `taskWeights`);
 * - `uncertainty`: Kendall, Gal & Cipolla (2018), its learned log-variance per task.
 */
export type LossWeightingName = 'fixed' | 'uncertainty';

/** When to stop and which epoch's weights to keep. */
export interface EarlyStoppingOptions {
  /**
   * What to watch on the validation set (higher is better; log loss is negated by `monitorValue`). One task
   * (`{ task: 'click', metric: 'auc' }`) or a weighted mean (`{ income: 1, gains: 1 }` = weighted AUC).
   * Default: AUC averaged with weight 1 over every `bce` task that has a loss term.
   */
  monitor?: Monitor;
  /**
   * Validations without an improvement of more than `minDelta` before stopping: epochs, or with `validateEvery`
   * the validations inside epochs too. Default 3.
   */
  patience?: number;
  /** The smallest change that counts as an improvement. Default 0. */
  minDelta?: number;
  /**
   * Whether the model ends with the weights of its best validation (when the last one was not the best, whether
   * training stopped early or ran out of epochs). Default true.
   */
  restoreBestWeights?: boolean;
}

/** What `onBatchEnd` receives. */
export interface BatchLogs {
  /** Epoch index, from 0. */
  epoch: number;
  /** Step index within the epoch, from 0. */
  batch: number;
  /** Rows in this batch. */
  rows: number;
  /**
   * Raw (unweighted) loss of every term and the weighted `total`, for this step. Present only on steps whose
   * losses were read back from the device (every `lossReadEvery` steps and the last step of an epoch).
   */
  losses?: Record<string, number>;
}

/** What `onEpochEnd` receives and what the history holds, one per epoch. */
export interface EpochLogs {
  /** Epoch index, from 0. */
  epoch: number;
  /** Mean over the epoch's steps of every term's raw loss, and of the weighted `total`. */
  losses: Record<string, number>;
  /** Exact per-task validation metrics (each task in its own sample space), when a validation set was given. */
  validation?: Record<string, TaskMetrics>;
  /** The early-stopping monitor's value on the validation set (higher is better). */
  monitor?: MonitorValue;
  /** Uncertainty weighting only: the learned log-variance `sᵢ` of every task term at the end of the epoch. */
  logVariances?: Record<string, number>;
  /**
   * Every validation of the epoch, in order, the last one at the end of the epoch (whose metrics are also in
   * `validation`). One entry unless `validateEvery` asked for validations inside epochs.
   */
  validations?: ValidationPoint[];
  /** Training rows seen this epoch. */
  rows: number;
  /** Optimizer steps this epoch. */
  steps: number;
  /** Wall-clock seconds of the epoch, validation and checkpoint included. */
  seconds: number;
  /** Seconds spent in training steps only. */
  trainSeconds: number;
  /** Training throughput: `rows / trainSeconds`. */
  samplesPerSecond: number;
}

/** One validation during training: where it ran, the exact per-task metrics and the monitor. */
export interface ValidationPoint {
  /** Epoch index, from 0. */
  epoch: number;
  /** Optimizer steps of the run (from the first step of epoch 0, resumed ones included) when it ran. */
  step: number;
  /** How far through its epoch it ran, in (0, 1]; 1 at the end of an epoch. */
  epochProgress: number;
  /** Exact per-task validation metrics. */
  validation: Record<string, TaskMetrics>;
  /** The early-stopping monitor (higher is better). */
  monitor: MonitorValue;
  /** Whether this validation improved on the best so far (by more than `minDelta`). */
  improved: boolean;
}

/** Lets a callback end training after the current step or epoch. */
export interface TrainControl {
  /** Stops training at the end of the current step; the current epoch is then finished (logged, checkpointed). */
  stop(): void;
}

/** Hooks called during training; each may be async (the trainer awaits it). */
export interface TrainCallbacks {
  /** After every epoch (after validation, before the checkpoint is written). */
  onEpochEnd?(epoch: number, logs: EpochLogs, control: TrainControl): void | Promise<void>;
  /** After every validation (inside an epoch with `validateEvery`, and at the end of every epoch). */
  onValidation?(point: ValidationPoint, control: TrainControl): void | Promise<void>;
  /** After every optimizer step; `step` counts all steps of the run (from 0, across epochs, resumed ones included). */
  onBatchEnd?(step: number, logs: BatchLogs, control: TrainControl): void | Promise<void>;
  /** Once, after the last epoch (also after an early stop), with the result. */
  onTrainEnd?(result: TrainResult): void | Promise<void>;
}

/** Options of {@link train}. */
export interface TrainOptions {
  /** Training rows: a table in memory (shuffled each epoch by `seed`) or a streaming source (asked to shuffle). */
  train: EncodedTable | TableSource;
  /** Validation rows; exact per-task metrics are computed over all of them after every epoch (and every `validateEvery` steps). */
  validation?: EncodedTable;
  /**
   * Also validate every this many optimizer steps inside each epoch (counted from the epoch's first step), so that
   * early stopping can act, and the best weights be kept, inside an epoch: on small or sparse data a model can peak
   * and start to overfit before its first epoch ends. Early stopping's patience then counts validations, not epochs.
   * Default: only at the end of every epoch.
   */
  validateEvery?: number;
  /**
   * L2 penalty on the embedding vectors a batch looks up, `embeddingL2 · mean over rows of Σ_fields ‖e‖²`, added to the
   * loss (the embedding regulariser of DeepCTR's `l2_reg_embedding` and FuxiCTR's `embedding_regularizer`): it keeps
   * rare ids from memorising their few labels, where decaying the whole table every step would also shrink ids
   * the batch never saw. Default 0.
   */
  embeddingL2?: number;
  /** Number of epochs (counting epochs already done when resuming). Default 10. */
  epochs?: number;
  /** Rows per optimizer step. Default 2048. */
  batchSize?: number;
  /** Rows per forward pass when evaluating. Default 8192. */
  evalBatchSize?: number;
  /** Optimizer. Default `adam`. */
  optimizer?: OptimizerName;
  /** Learning rate. Default 1e-3 for adam, adamw and rmsprop; 0.01 for sgd and adagrad. */
  learningRate?: number;
  /** Global gradient-norm clipping: gradients are scaled so that their joint L2 norm is at most this. Default none. */
  clipNorm?: number;
  /**
   * Decoupled weight decay (Loshchilov & Hutter): after each step every trainable kernel and embedding table (rank ≥ 2;
   * not biases or normalisation parameters) is multiplied by `1 − learningRate·weightDecay`. Default 0.01 for `adamw`,
   * 0 otherwise.
   */
  weightDecay?: number;
  /** How terms are combined into one loss. Default `fixed`. */
  lossWeighting?: LossWeightingName;
  /**
   * Overrides of term weights keyed by loss-term name (a task term is named after its task, e.g. `{ cvr: 2 }`;
   * auxiliary terms by their own name). A weight of 0 keeps the term in the logs but gives it no gradient.
   */
  taskWeights?: Readonly<Record<string, number>>;
  /** Stop when the validation monitor stops improving; needs `validation`. Default off. */
  earlyStopping?: EarlyStoppingOptions;
  /**
   * Seed of the row shuffling: the same seed, model seed (which seeds initialisers and dropout) and backend give the
   * same weights and metrics. Default 0.
   */
  seed?: number;
  /** Folder where a checkpoint is written (atomically) after every epoch. Default: no checkpoints. */
  checkpointDir?: string;
  /**
   * Continue from the checkpoint in `checkpointDir` (weights, optimizer state, loss-weighting variables, shuffle
   * state, early-stopping state, history). Without a checkpoint there, training starts from scratch (and a run
   * without `resume` overwrites an existing checkpoint). A resumed run ends with the same weights as an uninterrupted
   * one (within float rounding of Adam's restored bias correction) for models without dropout; with dropout the
   * masks after the restart differ, because dropout layers count their calls from zero in a new process. The
   * checkpoint must come from the same model architecture, optimizer, loss weighting and `seed`. Default false.
   */
  resume?: boolean;
  /** Hooks called during training. */
  callbacks?: TrainCallbacks;
  /**
   * `bar` redraws one line (epoch, step, loss per term, samples/s, time left); `lines` prints one line per epoch;
   * `auto` picks `bar` on a TTY and `lines` otherwise; `none` prints nothing. Default `auto`.
   */
  progress?: ProgressMode;
  /** Where progress goes. Default `process.stderr`. */
  progressStream?: ProgressStream;
  /**
   * Read the per-step losses back from the device every this many steps (one read of all terms of all pending
   * steps), which also checks them for NaN and infinity. Default 10.
   */
  lossReadEvery?: number;
}

/** What {@link train} returns. */
export interface TrainResult {
  /** One entry per epoch run (including epochs run before a resume). */
  history: EpochLogs[];
  /** Epoch (from 0) with the best monitor value; the last epoch when there is no validation set. */
  bestEpoch: number | undefined;
  /** Optimizer step of the run at the best validation (whose weights the model holds with `restoreBestWeights`). */
  bestStep?: number;
  /**
   * True when training used every epoch and its last validation was the best: the model may still have been
   * improving, and more epochs could help.
   */
  stoppedAtLimitImproving: boolean;
  /** The best monitor value, when a validation set was given. */
  bestMonitor?: MonitorValue;
  /** Whether training ended before `epochs` (early stopping or a callback). */
  stoppedEarly: boolean;
  /** Why training ended: all epochs ran, early stopping, or a callback called `stop()`. */
  stopReason: 'epochs' | 'early-stopping' | 'callback';
  /** Whether the model now holds the best epoch's weights rather than the last epoch's. */
  restoredBestWeights: boolean;
  /** The epoch (from 0) a resumed run continued after; undefined when it started from scratch. */
  resumedAfterEpoch?: number;
  /** Sum of the epochs' wall-clock seconds. */
  totalSeconds: number;
  /** Training rows per second of training-step time over all epochs. */
  samplesPerSecond: number;
  /** Uncertainty weighting only: final log-variance `sᵢ` per task term. */
  logVariances?: Record<string, number>;
}

/**
 * The options with defaults filled in and values checked (each field as documented on {@link TrainOptions}).
 * @internal
 */
export interface ResolvedTrainOptions {
  epochs: number;
  batchSize: number;
  evalBatchSize: number;
  optimizer: OptimizerName;
  learningRate: number;
  clipNorm: number | undefined;
  weightDecay: number;
  lossWeighting: LossWeightingName;
  taskWeights: Readonly<Record<string, number>>;
  earlyStopping: (Required<Omit<EarlyStoppingOptions, 'monitor'>> & { monitor: Monitor }) | undefined;
  validateEvery: number | undefined;
  embeddingL2: number;
  seed: number;
  checkpointDir: string | undefined;
  resume: boolean;
  progress: ProgressMode;
  lossReadEvery: number;
}

function positiveInteger(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new ConfigError(`train: ${name} must be a positive integer, got ${JSON.stringify(value)}`, name);
  }
  return value;
}

function nonNegativeInteger(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new ConfigError(`train: ${name} must be an integer >= 0, got ${JSON.stringify(value)}`, name);
  }
  return value;
}

function nonNegative(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new ConfigError(`train: ${name} must be a finite number >= 0, got ${JSON.stringify(value)}`, name);
  }
  return value;
}

/**
 * Fills defaults and validates every option; errors name the option and the allowed values.
 * `termNames` are the model's loss-term names (for `taskWeights`), `defaultMonitor` the monitor used when
 * early stopping names none.
 * @internal
 */
export function resolveTrainOptions(
  options: TrainOptions,
  termNames: readonly string[],
  defaultMonitor: () => Monitor,
): ResolvedTrainOptions {
  if (!options || typeof options !== 'object') throw new ConfigError('train: an options object is required');
  if (!options.train || typeof options.train !== 'object')
    throw new ConfigError('train: options.train (an EncodedTable or a TableSource) is required', 'train');
  const optimizer = options.optimizer ?? 'adam';
  if (!OPTIMIZER_NAMES.includes(optimizer)) {
    throw new ConfigError(`train: optimizer "${String(optimizer)}" is not allowed; use ${OPTIMIZER_NAMES.join(', ')}`, 'optimizer');
  }
  const defaultRate = optimizer === 'sgd' || optimizer === 'adagrad' ? 0.01 : 1e-3;
  const learningRate = options.learningRate ?? defaultRate;
  if (typeof learningRate !== 'number' || !(learningRate > 0) || learningRate === Infinity) {
    throw new ConfigError(`train: learningRate must be a finite number > 0, got ${JSON.stringify(options.learningRate)}`, 'learningRate');
  }
  let clipNorm: number | undefined;
  if (options.clipNorm !== undefined) {
    if (typeof options.clipNorm !== 'number' || !(options.clipNorm > 0) || options.clipNorm === Infinity) {
      throw new ConfigError(`train: clipNorm must be a finite number > 0, got ${JSON.stringify(options.clipNorm)}`, 'clipNorm');
    }
    clipNorm = options.clipNorm;
  }
  const lossWeighting = options.lossWeighting ?? 'fixed';
  if (lossWeighting !== 'fixed' && lossWeighting !== 'uncertainty') {
    throw new ConfigError(`train: lossWeighting "${String(lossWeighting)}" is not allowed; use fixed or uncertainty`, 'lossWeighting');
  }
  const taskWeights = options.taskWeights ?? {};
  for (const [name, weight] of Object.entries(taskWeights)) {
    if (!termNames.includes(name)) {
      throw new ConfigError(
        `train: taskWeights names "${name}", which is not a loss term; the model's terms are ${termNames.join(', ')}`,
        'taskWeights',
      );
    }
    nonNegative(weight, `taskWeights.${name}`, 0);
  }
  let earlyStopping: ResolvedTrainOptions['earlyStopping'];
  if (options.earlyStopping !== undefined) {
    const es = options.earlyStopping;
    if (!es || typeof es !== 'object')
      throw new ConfigError('train: earlyStopping must be an object such as { patience: 3 }', 'earlyStopping');
    if (!options.validation) throw new ConfigError('train: earlyStopping needs a validation set (options.validation)', 'earlyStopping');
    earlyStopping = {
      monitor: es.monitor ?? defaultMonitor(),
      patience: nonNegativeInteger(es.patience, 'earlyStopping.patience', 3),
      minDelta: nonNegative(es.minDelta, 'earlyStopping.minDelta', 0),
      restoreBestWeights: es.restoreBestWeights ?? true,
    };
  }
  if (options.validateEvery !== undefined && !options.validation)
    throw new ConfigError('train: validateEvery needs a validation set (options.validation)', 'validateEvery');
  const seed = options.seed ?? 0;
  if (!Number.isInteger(seed)) throw new ConfigError(`train: seed must be an integer, got ${JSON.stringify(options.seed)}`, 'seed');
  if (options.resume && !options.checkpointDir) throw new ConfigError('train: resume needs checkpointDir', 'resume');
  const progress = options.progress ?? 'auto';
  if (!['auto', 'bar', 'lines', 'none'].includes(progress)) {
    throw new ConfigError(`train: progress "${String(progress)}" is not allowed; use auto, bar, lines or none`, 'progress');
  }
  return {
    epochs: positiveInteger(options.epochs, 'epochs', 10),
    batchSize: positiveInteger(options.batchSize, 'batchSize', 2048),
    evalBatchSize: positiveInteger(options.evalBatchSize, 'evalBatchSize', 8192),
    optimizer,
    learningRate,
    clipNorm,
    weightDecay: nonNegative(options.weightDecay, 'weightDecay', optimizer === 'adamw' ? 0.01 : 0),
    lossWeighting,
    taskWeights,
    earlyStopping,
    validateEvery: options.validateEvery === undefined ? undefined : positiveInteger(options.validateEvery, 'validateEvery', 1),
    embeddingL2: nonNegative(options.embeddingL2, 'embeddingL2', 0),
    seed,
    checkpointDir: options.checkpointDir,
    resume: options.resume ?? false,
    progress,
    lossReadEvery: positiveInteger(options.lossReadEvery, 'lossReadEvery', 10),
  };
}
