import * as tf from '@tensorflow/tfjs-core';
import { ConfigError } from '../errors/config-error.js';
import { checkTableFeatures } from '../data/check-table.js';
import type { TableSource } from '../data/table-source.js';
import type { FeatureSpec } from '../features/feature-spec.js';
import { monitorValue, type Monitor, type MonitorInput, type MonitorValue } from '../metrics/monitor.js';
import type { MultiTaskModel } from '../model/multi-task-model.js';
import { applyCheckpoint, disposeCheckpoint, readCheckpoint, writeCheckpoint } from '../persistence/checkpoint.js';
import { epochBatches, epochSeed, isTableSource } from './batches.js';
import { EarlyStopper, type EarlyStoppingState } from './early-stopping.js';
import { evaluate } from './evaluate.js';
import { createLossWeighting, type LossWeighting } from './loss-weighting.js';
import { NonFiniteLossError, NonFiniteWeightError } from './non-finite-loss-error.js';
import { createOptimizer } from './optimizers.js';
import { ProgressReporter } from './progress.js';
import { TrainStep } from './train-step.js';
import { WeightFiniteness } from './weight-finiteness.js';
import {
  resolveTrainOptions,
  type EpochLogs,
  type ResolvedTrainOptions,
  type TrainControl,
  type TrainOptions,
  type TrainResult,
} from './train-options.js';

/** Format tag of the trainer's state inside a checkpoint's `extra`. */
const TRAINER_STATE_FORMAT = 'ektm-trainer-state';
const TRAINER_STATE_VERSION = 1;

/** The trainer's JSON state in a checkpoint (`extra`): everything besides tensors that a resumed run needs. */
interface TrainerState {
  format: typeof TRAINER_STATE_FORMAT;
  version: typeof TRAINER_STATE_VERSION;
  /** Last completed epoch (from 0). */
  epoch: number;
  /** Shuffle seed of the run; an epoch's shuffle is `epochSeed(seed, epoch)`, so this and `epoch` are the RNG state. */
  seed: number;
  optimizer: string;
  lossWeighting: string;
  /** Loss-term names, to refuse a checkpoint of another model. */
  terms: string[];
  /** Learned loss-weighting variables (uncertainty log-variances) keyed by term. */
  logVariances: Record<string, number>;
  /** Best-so-far monitor tracking. */
  best: EarlyStoppingState | null;
  history: EpochLogs[];
  /** Set when the run ended by early stopping: a resume then has nothing left to do. */
  stoppedEarly: boolean;
}

/** `performance.now()` where available (Node, browsers), else `Date.now()`. */
function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}

/** Weighted AUC (weight 1) over every `bce` task that has a `task` loss term; else the first task's AUC. */
function defaultMonitor(model: MultiTaskModel): Monitor {
  const trained = new Set(model.spec.lossTerms.filter((t) => t.role === 'task').map((t) => t.task));
  const tasks = model.spec.tasks.filter((t) => t.loss === 'bce' && trained.has(t.name)).map((t) => t.name);
  if (tasks.length === 0) return { task: model.spec.tasks[0]!.name, metric: model.spec.tasks[0]!.loss === 'bce' ? 'auc' : 'logloss' };
  return { metric: 'auc', weights: Object.fromEntries(tasks.map((t) => [t, 1])) };
}

/** Fails before training when the monitor names an unknown task or a metric the validation set cannot give. */
function checkMonitor(model: MultiTaskModel, monitor: Monitor, withGroups: boolean): void {
  const probe: Record<string, { auc: number; logloss: number; gauc?: number }> = {};
  for (const t of model.spec.tasks) probe[t.name] = withGroups ? { auc: 0.5, logloss: 1, gauc: 0.5 } : { auc: 0.5, logloss: 1 };
  try {
    monitorValue(probe as MonitorInput, monitor);
  } catch (error) {
    throw new ConfigError(`train: earlyStopping.${(error as Error).message}`, 'earlyStopping.monitor', undefined, { cause: error });
  }
}

/**
 * A source whose chunks are checked against the model's features as they arrive (each chunk once; row numbers count
 * from the start of the epoch's pass), so that a bad id in a stream fails with the feature's name, not on the device.
 */
function checkedSource(source: TableSource, features: readonly FeatureSpec[], epoch: number): TableSource {
  const where = `train: options.train (a TableSource; rows counted from the start of epoch ${epoch + 1})`;
  return {
    ...(source.rows !== undefined ? { rows: source.rows } : {}),
    async *chunks(options) {
      let firstRow = 0;
      for await (const chunk of source.chunks(options)) {
        checkTableFeatures(chunk, features, { where, firstRow });
        firstRow += chunk.rows;
        yield chunk;
      }
    },
  };
}

function parseTrainerState(extra: unknown, model: MultiTaskModel, options: ResolvedTrainOptions, dir: string): TrainerState {
  const state = extra as TrainerState;
  if (!state || typeof state !== 'object' || state.format !== TRAINER_STATE_FORMAT || state.version !== TRAINER_STATE_VERSION) {
    throw new Error(
      `train: the checkpoint in ${dir} was not written by this trainer (format ${JSON.stringify((state as { format?: unknown })?.format)})`,
    );
  }
  const terms = model.spec.lossTerms.map((t) => t.name);
  if (state.terms.join('\u0000') !== terms.join('\u0000')) {
    throw new Error(`train: the checkpoint in ${dir} has loss terms ${state.terms.join(', ')}, the model has ${terms.join(', ')}`);
  }
  for (const key of ['optimizer', 'lossWeighting', 'seed'] as const) {
    if (state[key] !== options[key]) {
      throw new Error(
        `train: resume with ${key} ${JSON.stringify(options[key])}, but the checkpoint in ${dir} was trained with ${JSON.stringify(state[key])}`,
      );
    }
  }
  return state;
}

/**
 * Trains a multi-task model with its own loop (tfjs `fit` can neither weight nor mask per task): every step minimises
 * the weighted sum of the model's loss terms (`model.spec.lossTerms`), each over its task's sample space; after
 * every epoch it computes exact validation metrics, tracks the best epoch, stops early when asked, and writes an
 * atomic checkpoint from which `resume: true` continues (a killed run loses at most the epoch in progress).
 *
 * ```ts
 * const result = await train(model, { train: trainTable, validation: validTable, epochs: 10, batchSize: 2048,
 *   earlyStopping: { monitor: { click: 1, cvr: 1 }, patience: 2 }, checkpointDir: 'runs/a', resume: true });
 * result.history.at(-1)!.validation!.cvr.auc;
 * ```
 *
 * The training and validation tables are checked against the model's features before the first step (a categorical
 * id outside its vocabulary, a missing column or a non-finite numeric value fails at once, naming the feature, the value
 * and the row); a streaming source's chunks are checked as they arrive.
 *
 * @throws TableFeatureError when a table does not fit the model's features.
 * @throws NonFiniteLossError when a loss term becomes NaN or infinite (the last checkpoint stays intact).
 * @throws NonFiniteWeightError when a weight becomes NaN or infinite while the loss is still finite (checked with the
 *   losses every `lossReadEvery` steps and at the end of every epoch, before validation and the checkpoint; the last
 *   checkpoint stays intact).
 */
export async function train(model: MultiTaskModel, options: TrainOptions): Promise<TrainResult> {
  const terms = model.spec.lossTerms;
  const termNames = terms.map((t) => t.name);
  const opts = resolveTrainOptions(options, termNames, () => defaultMonitor(model));
  const validation = options.validation;
  const monitor: Monitor | undefined = validation ? (opts.earlyStopping?.monitor ?? defaultMonitor(model)) : undefined;
  if (monitor) checkMonitor(model, monitor, validation?.groups !== undefined);
  if (validation && validation.rows === 0) throw new Error('train: options.validation has no rows');
  const trainData = options.train;
  if (!isTableSource(trainData)) checkTableFeatures(trainData, model.spec.features, { where: 'train: options.train' });
  if (validation) checkTableFeatures(validation, model.spec.features, { where: 'train: options.validation' });
  const weights = terms.map((t) => opts.taskWeights[t.name] ?? t.weight);
  const progress = new ProgressReporter(opts.progress, options.progressStream, opts.epochs);
  const callbacks = options.callbacks ?? {};
  let stopRequested = false;
  const control: TrainControl = { stop: () => void (stopRequested = true) };

  let weighting: LossWeighting | undefined;
  let optimizer: tf.Optimizer | undefined;
  let bestWeights: tf.Tensor[] | undefined;
  try {
    weighting = createLossWeighting(opts.lossWeighting, terms, weights);
    optimizer = createOptimizer(opts.optimizer, opts.learningRate);
    const step = new TrainStep(model, terms, weighting, optimizer, {
      clipNorm: opts.clipNorm,
      weightDecay: opts.weightDecay,
      learningRate: opts.learningRate,
    });
    const weightCheck = new WeightFiniteness([
      ...model.model.weights.map((w) => ({ name: w.name, variable: w.read() as tf.Variable })),
      ...weighting.variables.map((v) => ({ name: v.name, variable: v })),
    ]);
    const tracker = monitor ? new EarlyStopper(opts.earlyStopping?.patience ?? Infinity, opts.earlyStopping?.minDelta ?? 0) : undefined;
    const keepBest = opts.earlyStopping?.restoreBestWeights === true;
    let history: EpochLogs[] = [];
    let startEpoch = 0;
    let resumedAfterEpoch: number | undefined;
    let lastCheckpointEpoch: number | undefined;
    let stopReason: TrainResult['stopReason'] = 'epochs';

    if (opts.resume && opts.checkpointDir) {
      const checkpoint = await readCheckpoint(opts.checkpointDir);
      if (checkpoint) {
        try {
          const state = parseTrainerState(checkpoint.extra, model, opts, opts.checkpointDir);
          await applyCheckpoint(checkpoint, model, optimizer);
          weighting.restore(state.logVariances);
          if (state.best && tracker) tracker.restore(state.best);
          if (checkpoint.bestWeights && keepBest) bestWeights = checkpoint.bestWeights.map((t) => t.clone());
          history = state.history;
          startEpoch = state.epoch + 1;
          resumedAfterEpoch = state.epoch;
          lastCheckpointEpoch = state.epoch;
          if (state.stoppedEarly) {
            stopReason = 'early-stopping';
            startEpoch = Math.max(startEpoch, opts.epochs);
          }
        } finally {
          disposeCheckpoint(checkpoint);
        }
        progress.message(`resumed from the checkpoint of epoch ${resumedAfterEpoch! + 1} in ${opts.checkpointDir}`);
      }
    }

    const rowsPerEpoch = options.train.rows;
    let stepsBefore = history.reduce((sum, h) => sum + h.steps, 0);
    for (let epoch = startEpoch; epoch < opts.epochs; epoch++) {
      const epochStart = now();
      progress.startEpoch();
      let trainMs = 0;
      let rows = 0;
      let steps = 0;
      const sums = new Float64Array(terms.length + 1);
      let pending: tf.Tensor1D[] = [];
      let pendingFirstStep = 0;
      /**
       * Reads every pending step's losses and the weights' finiteness flags in one transfer, checks them, and adds the
       * losses to the epoch's sums; returns the last step's losses. At the end of an epoch it runs even with no pending
       * step, so that no checkpoint is ever written from diverged weights.
       */
      const flush = (atEpochEnd = false): Float32Array | undefined => {
        if (pending.length === 0 && !atEpochEnd) return undefined;
        const width = terms.length + 1;
        const lossCount = pending.length * width;
        const flags = weightCheck.flags();
        const joined = tf.concat([...pending, flags]);
        const values = joined.dataSync() as Float32Array;
        tf.dispose([joined, flags, ...pending]);
        const first = pendingFirstStep;
        pending = [];
        pendingFirstStep = steps;
        for (let s = 0; s < lossCount / width; s++) {
          for (let j = 0; j < width; j++) {
            const v = values[s * width + j]!;
            if (!Number.isFinite(v)) {
              throw new NonFiniteLossError(
                j < terms.length ? termNames[j]! : 'total',
                epoch,
                first + s,
                v,
                lastCheckpointEpoch,
                opts.learningRate,
              );
            }
            sums[j]! += v;
          }
        }
        const diverged = weightCheck.nonFinite(values.subarray(lossCount));
        if (diverged.length > 0) {
          throw new NonFiniteWeightError(
            diverged,
            weightCheck.weights.length,
            epoch,
            Math.max(steps - 1, 0),
            lastCheckpointEpoch,
            opts.learningRate,
          );
        }
        return lossCount > 0 ? values.subarray(lossCount - width, lossCount) : undefined;
      };
      const named = (values: Float32Array): Record<string, number> => {
        const out: Record<string, number> = {};
        termNames.forEach((name, j) => (out[name] = values[j]!));
        out.total = values[terms.length]!;
        return out;
      };

      try {
        const epochData = isTableSource(trainData) ? checkedSource(trainData, model.spec.features, epoch) : trainData;
        for await (const batch of epochBatches(epochData, opts.batchSize, epochSeed(opts.seed, epoch))) {
          const t0 = now();
          pending.push(step.run(batch));
          steps++;
          rows += batch.rows;
          const last = pending.length >= opts.lossReadEvery ? flush() : undefined;
          trainMs += now() - t0;
          if (callbacks.onBatchEnd) {
            await callbacks.onBatchEnd(
              stepsBefore + steps - 1,
              { epoch, batch: steps - 1, rows: batch.rows, ...(last ? { losses: named(last) } : {}) },
              control,
            );
          }
          progress.step(epoch, steps - 1, rows, rowsPerEpoch, trainMs / 1000, last ? named(last) : undefined);
          if (stopRequested) break;
        }
        const t0 = now();
        flush(true);
        trainMs += now() - t0;
      } finally {
        tf.dispose(pending);
        pending = [];
      }
      if (steps === 0) throw new Error('train: the training data yielded no rows');

      const losses = named(Float32Array.from(sums, (s) => s / steps));
      const logs: EpochLogs = {
        epoch,
        losses,
        rows,
        steps,
        seconds: 0,
        trainSeconds: trainMs / 1000,
        samplesPerSecond: rows / Math.max(trainMs / 1000, 1e-9),
      };
      if (weighting.name === 'uncertainty') logs.logVariances = weighting.state();
      let monitored: MonitorValue | undefined;
      if (validation && monitor && tracker) {
        logs.validation = evaluate(model, validation, { batchSize: opts.evalBatchSize });
        monitored = monitorValue(logs.validation, monitor);
        logs.monitor = monitored;
        if (tracker.update(epoch, monitored) && keepBest) {
          tf.dispose(bestWeights ?? []);
          bestWeights = model.model.getWeights().map((t) => t.clone());
        }
      }
      logs.seconds = (now() - epochStart) / 1000;
      history.push(logs);
      stepsBefore += steps;
      progress.endEpoch(logs);
      if (callbacks.onEpochEnd) await callbacks.onEpochEnd(epoch, logs, control);

      const earlyStop = opts.earlyStopping !== undefined && tracker !== undefined && tracker.shouldStop;
      if (opts.checkpointDir) {
        const optimizerWeights = await optimizer.getWeights();
        try {
          const state: TrainerState = {
            format: TRAINER_STATE_FORMAT,
            version: TRAINER_STATE_VERSION,
            epoch,
            seed: opts.seed,
            optimizer: opts.optimizer,
            lossWeighting: opts.lossWeighting,
            terms: termNames,
            logVariances: weighting.state(),
            best: tracker ? tracker.snapshot() : null,
            history,
            stoppedEarly: earlyStop,
          };
          await writeCheckpoint(opts.checkpointDir, { model, optimizerWeights, extra: state, ...(bestWeights ? { bestWeights } : {}) });
        } finally {
          // getWeights returns the optimizer's live variables plus fresh scalars (the iteration count): free only those.
          tf.dispose(optimizerWeights.map((w) => w.tensor).filter((t) => !(t instanceof tf.Variable)));
        }
        lastCheckpointEpoch = epoch;
      }
      if (earlyStop) {
        stopReason = 'early-stopping';
        progress.message(
          `early stopping after epoch ${epoch + 1}: no improvement of ${tracker!.best?.description ?? 'the monitor'} (epoch ${(tracker!.bestEpoch ?? 0) + 1}) for ${opts.earlyStopping!.patience} epoch(s)`,
        );
        break;
      }
      if (stopRequested) {
        stopReason = 'callback';
        break;
      }
    }

    const lastEpoch = history.length > 0 ? history[history.length - 1]!.epoch : undefined;
    const bestEpoch = tracker?.bestEpoch ?? lastEpoch;
    let restoredBestWeights = false;
    if (keepBest && bestWeights && bestEpoch !== undefined && bestEpoch !== lastEpoch) {
      model.model.setWeights(bestWeights);
      restoredBestWeights = true;
    }
    const totalSeconds = history.reduce((s, h) => s + h.seconds, 0);
    const trainSeconds = history.reduce((s, h) => s + h.trainSeconds, 0);
    const totalRows = history.reduce((s, h) => s + h.rows, 0);
    const result: TrainResult = {
      history,
      bestEpoch,
      ...(tracker?.best ? { bestMonitor: tracker.best } : {}),
      stoppedEarly: stopReason !== 'epochs',
      stopReason,
      restoredBestWeights,
      ...(resumedAfterEpoch !== undefined ? { resumedAfterEpoch } : {}),
      totalSeconds,
      samplesPerSecond: trainSeconds > 0 ? totalRows / trainSeconds : 0,
      ...(weighting.name === 'uncertainty' ? { logVariances: weighting.state() } : {}),
    };
    if (callbacks.onTrainEnd) await callbacks.onTrainEnd(result);
    return result;
  } finally {
    tf.dispose(bestWeights ?? []);
    optimizer?.dispose();
    weighting?.dispose();
  }
}
