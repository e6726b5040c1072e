import * as tf from '@tensorflow/tfjs-core';
import { ConfigError } from '../errors/config-error.js';
import { checkTableFeatures } from '../data/check-table.js';
import type { EncodedTable } from '../data/encoded-table.js';
import type { TableSource } from '../data/table-source.js';
import type { FeatureSpec } from '../features/feature-spec.js';
import { monitorValue, type Monitor, type MonitorInput } from '../metrics/monitor.js';
import type { MultiTaskModel } from '../model/multi-task-model.js';
import { applyCheckpoint, disposeCheckpoint, readCheckpoint } from '../persistence/checkpoint.js';
import { epochBatches, epochSeed, isTableSource } from './batches.js';
import { createLossWeighting, type LossWeighting } from './loss-weighting.js';
import { createOptimizer } from './optimizers.js';
import { ProgressReporter } from './progress.js';
import { StepLosses } from './step-losses.js';
import { rejectUnknownKeys } from '../registry/option-schema.js';
import { TRAIN_OPTION_SCHEMA } from './train-option-schema.js';
import { TrainStep } from './train-step.js';
import { checkpointEpoch, parseTrainerState, trainerState } from './trainer-state.js';
import { ValidationTracker } from './validation-tracker.js';
import { WeightFiniteness } from './weight-finiteness.js';
import {
  resolveTrainOptions,
  type EpochLogs,
  type ResolvedTrainOptions,
  type TrainCallbacks,
  type TrainControl,
  type TrainOptions,
  type TrainResult,
  type ValidationPoint,
} from './train-options.js';
import { DataError } from '../errors/data-error.js';

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

/** Everything a run holds while it trains; built once by {@link setUpRun}, freed by {@link TrainingRun.dispose}. */
interface TrainingRun {
  model: MultiTaskModel;
  options: ResolvedTrainOptions;
  trainData: EncodedTable | TableSource;
  termNames: string[];
  weighting: LossWeighting;
  optimizer: tf.Optimizer;
  step: TrainStep;
  weightCheck: WeightFiniteness;
  tracker: ValidationTracker | undefined;
  progress: ProgressReporter;
  callbacks: TrainCallbacks;
  control: TrainControl;
  /** Set by `control.stop()`. */
  stopRequested: boolean;
  history: EpochLogs[];
  /** Optimizer steps of the epochs in `history`. */
  stepsBefore: number;
  lastCheckpointEpoch: number | undefined;
  resumedAfterEpoch: number | undefined;
  /** Set when a resumed run had already stopped early. */
  resumedStoppedEarly: boolean;
  dispose(): void;
}

/** Step 1: checks the options and data, and creates the optimizer, the loss weighting, the step and the tracker. */
function setUpRun(model: MultiTaskModel, options: TrainOptions): TrainingRun {
  const terms = model.spec.lossTerms;
  const termNames = terms.map((t) => t.name);
  const opts = resolveTrainOptions(options, termNames, () => defaultMonitor(model));
  const validation = options.validation;
  const monitor: Monitor | undefined = validation ? (opts.earlyStopping?.monitor ?? defaultMonitor(model)) : undefined;
  if (monitor) checkMonitor(model, monitor, validation?.groups !== undefined);
  if (validation && validation.rows === 0) throw new DataError('train: options.validation has no rows');
  if (!isTableSource(options.train)) checkTableFeatures(options.train, model.spec.features, { where: 'train: options.train' });
  if (validation) checkTableFeatures(validation, model.spec.features, { where: 'train: options.validation' });
  const weights = terms.map((t) => opts.taskWeights[t.name] ?? t.weight);
  const weighting = createLossWeighting(opts.lossWeighting, terms, weights);
  let optimizer: tf.Optimizer | undefined;
  try {
    optimizer = createOptimizer(opts.optimizer, opts.learningRate);
    const step = new TrainStep(model, terms, weighting, optimizer, {
      clipNorm: opts.clipNorm,
      weightDecay: opts.weightDecay,
      learningRate: opts.learningRate,
      embeddingL2: opts.embeddingL2,
    });
    const weightCheck = new WeightFiniteness([
      ...model.model.weights.map((w) => ({ name: w.name, variable: w.read() as tf.Variable })),
      ...weighting.variables.map((v) => ({ name: v.name, variable: v })),
    ]);
    const tracker =
      validation && monitor
        ? new ValidationTracker(model, {
            table: validation,
            monitor,
            patience: opts.earlyStopping?.patience ?? Infinity,
            minDelta: opts.earlyStopping?.minDelta ?? 0,
            keepBest: opts.earlyStopping?.restoreBestWeights === true,
            evalBatchSize: opts.evalBatchSize,
          })
        : undefined;
    const run: TrainingRun = {
      model,
      options: opts,
      trainData: options.train,
      termNames,
      weighting,
      optimizer,
      step,
      weightCheck,
      tracker,
      progress: new ProgressReporter(opts.progress, options.progressStream, opts.epochs),
      callbacks: options.callbacks ?? {},
      control: { stop: () => void (run.stopRequested = true) },
      stopRequested: false,
      history: [],
      stepsBefore: 0,
      lastCheckpointEpoch: undefined,
      resumedAfterEpoch: undefined,
      resumedStoppedEarly: false,
      dispose() {
        tracker?.dispose();
        optimizer?.dispose();
        weighting.dispose();
      },
    };
    return run;
  } catch (error) {
    optimizer?.dispose();
    weighting.dispose();
    throw error;
  }
}

/** Step 2 (with `resume`): continues from the checkpoint in `checkpointDir`, if there is one. */
async function resumeRun(run: TrainingRun): Promise<void> {
  const { options } = run;
  if (!options.resume || !options.checkpointDir) return;
  const checkpoint = await readCheckpoint(options.checkpointDir);
  if (!checkpoint) return;
  try {
    const state = parseTrainerState(checkpoint.extra, run.model, options, options.checkpointDir);
    await applyCheckpoint(checkpoint, run.model, run.optimizer);
    run.weighting.restore(state.logVariances);
    run.tracker?.restore(state.best, checkpoint.bestWeights);
    run.history = state.history;
    run.stepsBefore = state.history.reduce((sum, h) => sum + h.steps, 0);
    run.resumedAfterEpoch = state.epoch;
    run.lastCheckpointEpoch = state.epoch;
    run.resumedStoppedEarly = state.stoppedEarly;
  } finally {
    disposeCheckpoint(checkpoint);
  }
  run.progress.message(`resumed from the checkpoint of epoch ${run.resumedAfterEpoch + 1} in ${options.checkpointDir}`);
}

/** Validates now and tells the callback; returns the point. */
async function validateNow(run: TrainingRun, epoch: number, stepsThisEpoch: number, epochProgress: number): Promise<ValidationPoint> {
  const point = run.tracker!.validate(epoch, run.stepsBefore + stepsThisEpoch, epochProgress);
  if (epochProgress < 1) run.progress.validation(point);
  if (run.callbacks.onValidation) await run.callbacks.onValidation(point, run.control);
  return point;
}

/**
 * Step 3: one epoch: the optimizer steps (losses read back in batches and checked), the validations inside the epoch
 * (`validateEvery`) and at its end, and the epoch's logs. Returns the logs and whether patience ran out.
 */
async function runEpoch(run: TrainingRun, epoch: number): Promise<{ logs: EpochLogs; earlyStop: boolean }> {
  const { options, tracker, callbacks, control } = run;
  const epochStart = now();
  run.progress.startEpoch();
  const losses = new StepLosses(run.termNames, run.weightCheck, {
    epoch,
    lastCheckpointEpoch: run.lastCheckpointEpoch,
    learningRate: options.learningRate,
  });
  const rowsPerEpoch = run.trainData.rows;
  const stepsPerEpoch = rowsPerEpoch === undefined ? undefined : Math.ceil(rowsPerEpoch / options.batchSize);
  const validations: ValidationPoint[] = [];
  let trainMs = 0;
  let rows = 0;
  let earlyStop = false;
  try {
    const data = isTableSource(run.trainData) ? checkedSource(run.trainData, run.model.spec.features, epoch) : run.trainData;
    for await (const batch of epochBatches(data, options.batchSize, epochSeed(options.seed, epoch))) {
      const t0 = now();
      losses.add(run.step.run(batch));
      rows += batch.rows;
      const last = losses.pendingCount >= options.lossReadEvery ? losses.flush() : undefined;
      trainMs += now() - t0;
      const steps = losses.count;
      if (callbacks.onBatchEnd) {
        await callbacks.onBatchEnd(
          run.stepsBefore + steps - 1,
          { epoch, batch: steps - 1, rows: batch.rows, ...(last ? { losses: last } : {}) },
          control,
        );
      }
      run.progress.step(epoch, steps - 1, rows, rowsPerEpoch, trainMs / 1000, last);
      const midEpoch = stepsPerEpoch === undefined || steps < stepsPerEpoch;
      if (tracker && options.validateEvery !== undefined && steps % options.validateEvery === 0 && midEpoch) {
        losses.flush();
        validations.push(await validateNow(run, epoch, steps, stepsPerEpoch ? steps / stepsPerEpoch : Number.NaN));
        if (options.earlyStopping && tracker.shouldStop) earlyStop = true;
      }
      if (run.stopRequested || earlyStop) break;
    }
    const t0 = now();
    losses.flush(true);
    trainMs += now() - t0;
  } finally {
    losses.dispose();
  }
  const steps = losses.count;
  if (steps === 0) throw new DataError('train: the training data yielded no rows');

  const logs: EpochLogs = {
    epoch,
    losses: losses.means(),
    rows,
    steps,
    seconds: 0,
    trainSeconds: trainMs / 1000,
    samplesPerSecond: rows / Math.max(trainMs / 1000, 1e-9),
  };
  if (run.weighting.name === 'uncertainty') logs.logVariances = run.weighting.state();
  if (tracker) {
    // The epoch's last validation is its end-of-epoch one, unless early stopping just validated at this very step.
    const lastPoint = validations[validations.length - 1];
    const end = lastPoint && lastPoint.step === run.stepsBefore + steps ? lastPoint : await validateNow(run, epoch, steps, 1);
    if (end !== lastPoint) validations.push(end);
    logs.validation = end.validation;
    logs.monitor = end.monitor;
    logs.validations = validations;
    if (options.earlyStopping && tracker.shouldStop) earlyStop = true;
  }
  logs.seconds = (now() - epochStart) / 1000;
  return { logs, earlyStop };
}

/** Step 4: the checkpoint after an epoch, when `checkpointDir` is set. */
async function checkpointAfter(run: TrainingRun, epoch: number, stoppedEarly: boolean): Promise<void> {
  const dir = run.options.checkpointDir;
  if (!dir) return;
  const state = trainerState(run.options, {
    epoch,
    terms: run.termNames,
    logVariances: run.weighting.state(),
    best: run.tracker ? run.tracker.stopper.snapshot() : null,
    history: run.history,
    stoppedEarly,
  });
  await checkpointEpoch(dir, run.model, run.optimizer, state, run.tracker?.keptWeights);
  run.lastCheckpointEpoch = epoch;
}

/** Step 5: restores the best weights and assembles the result. */
function finishRun(run: TrainingRun, stopReason: TrainResult['stopReason']): TrainResult {
  const { history, tracker } = run;
  const lastEpoch = history.length > 0 ? history[history.length - 1]!.epoch : undefined;
  const stopper = tracker?.stopper;
  const bestEpoch = stopper?.bestEpoch ?? lastEpoch;
  const restoredBestWeights =
    tracker !== undefined && run.options.earlyStopping?.restoreBestWeights === true && tracker.restoreBest(run.stepsBefore);
  const lastValidation = history[history.length - 1]?.validations?.at(-1);
  const totalSeconds = history.reduce((s, h) => s + h.seconds, 0);
  const trainSeconds = history.reduce((s, h) => s + h.trainSeconds, 0);
  const totalRows = history.reduce((s, h) => s + h.rows, 0);
  return {
    history,
    bestEpoch,
    ...(stopper?.bestStep !== undefined ? { bestStep: stopper.bestStep } : {}),
    ...(stopper?.best ? { bestMonitor: stopper.best } : {}),
    stoppedEarly: stopReason !== 'epochs',
    stopReason,
    stoppedAtLimitImproving: stopReason === 'epochs' && lastValidation?.improved === true,
    restoredBestWeights,
    ...(run.resumedAfterEpoch !== undefined ? { resumedAfterEpoch: run.resumedAfterEpoch } : {}),
    totalSeconds,
    samplesPerSecond: trainSeconds > 0 ? totalRows / trainSeconds : 0,
    ...(run.weighting.name === 'uncertainty' ? { logVariances: run.weighting.state() } : {}),
  };
}

/**
 * Trains a multi-task model with its own loop (tfjs `fit` can neither weight nor mask per task): every step minimises
 * the weighted sum of the model's loss terms (`model.spec.lossTerms`), each over its task's sample space; after
 * every epoch (and, with `validateEvery`, every so many steps inside it) it computes exact validation metrics,
 * tracks the best validation, stops early when asked, and writes an atomic checkpoint after every epoch from which
 * `resume: true` continues (a killed run loses at most the epoch in progress).
 *
 * ```ts
 * const result = await train(model, { train: trainTable, validation: validTable, epochs: 10, batchSize: 2048,
 *   validateEvery: 50, earlyStopping: { monitor: { click: 1, cvr: 1 }, patience: 3 }, checkpointDir: 'runs/a', resume: true });
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
 *   losses every `lossReadEvery` steps, before every validation and at the end of every epoch, before the checkpoint;
 *   the last checkpoint stays intact).
 */
export async function train(model: MultiTaskModel, options: TrainOptions): Promise<TrainResult> {
  rejectUnknownKeys(TRAIN_OPTION_SCHEMA, options, 'train');
  const run = setUpRun(model, options);
  try {
    await resumeRun(run);
    const { epochs } = run.options;
    let stopReason: TrainResult['stopReason'] = run.resumedStoppedEarly ? 'early-stopping' : 'epochs';
    const startEpoch = run.resumedStoppedEarly ? epochs : (run.resumedAfterEpoch ?? -1) + 1;
    for (let epoch = startEpoch; epoch < epochs; epoch++) {
      const { logs, earlyStop } = await runEpoch(run, epoch);
      run.history.push(logs);
      run.stepsBefore += logs.steps;
      run.progress.endEpoch(logs);
      if (run.callbacks.onEpochEnd) await run.callbacks.onEpochEnd(epoch, logs, run.control);
      await checkpointAfter(run, epoch, earlyStop);
      if (earlyStop) {
        stopReason = 'early-stopping';
        const stopper = run.tracker!.stopper;
        run.progress.message(
          `early stopping in epoch ${epoch + 1}: no improvement of ${stopper.best?.description ?? 'the monitor'} ` +
            `(epoch ${(stopper.bestEpoch ?? 0) + 1}${stopper.bestStep !== undefined ? `, step ${stopper.bestStep}` : ''}) ` +
            `in ${run.options.earlyStopping!.patience} validation(s)`,
        );
        break;
      }
      if (run.stopRequested) {
        stopReason = 'callback';
        break;
      }
    }
    const result = finishRun(run, stopReason);
    if (run.callbacks.onTrainEnd) await run.callbacks.onTrainEnd(result);
    return result;
  } finally {
    run.dispose();
  }
}
