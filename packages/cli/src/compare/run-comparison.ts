import type { EncodedTable, TaskSpec } from '@ektm/core';
import { ConfigError, evaluateTasks, initEngine, InterruptedError, train, type ModelRegistry, type MultiTaskModel } from '@ektm/core';
import { loadDataset, type LoadedDataset, type SimulatorOptions } from '@ektm/datasets';
import { MODELS } from '../models/models.js';
import { countParameters } from '../util/count-parameters.js';
import { packageVersions } from '../version.js';
import type { CompareResult, CompareRun, EpochPoint, LeftOutModel, RunDiagnostic, RunTaskMetrics } from './compare-result.js';
import { eventLoopYielder } from '../util/interrupt.js';
import { attachPartialResult } from './partial-result.js';
import { RunProgress } from './run-progress.js';
import { runId } from './run-store.js';
import { targetMonitor, targetTasks } from './target-tasks.js';
import { DataError } from '@ektm/core';
import type { CompareTuning } from '../tune/compare-tuning.js';
import { runSettings, type TunedConfig } from '../tune/tuned-config.js';
import { taskMask } from '@ektm/datasets';
import { comparisonStatistics, curvePoints, type TestTruth } from './comparison-statistics.js';
import { TestPredictionFiles, type TestPredictions } from './test-predictions.js';
import { trainSubset } from './train-subset.js';

/** Options of {@link runComparison}: the data, the models and seeds, and the one protocol they all follow. */
export interface ComparisonOptions {
  /** Built-in dataset name or path of a JSON spec. */
  dataset: string;
  /** Folder of the data files. Default: the datasets package's download cache. */
  dataDir?: string;
  /** Task set. Default: the dataset's default. */
  taskSet?: string;
  /** Read at most this many rows of each file (and simulate at most this many training rows). Default: all. */
  maxRows?: number;
  /** Options of a simulated dataset that replace its spec's (split sizes, rates); ignored for a dataset of files. */
  simulator?: SimulatorOptions;
  /** Registry names of the models, in table order. */
  models: string[];
  /** Seeds; every model is trained once per seed. */
  seeds: number[];
  /** Maximum epochs. */
  epochs: number;
  /** Rows per step. */
  batchSize: number;
  /** Adam learning rate. */
  learningRate: number;
  /** Validations without improvement before stopping. */
  patience: number;
  /** Validations per epoch (evenly spaced, the last at the end of the epoch), so early stopping can act inside an epoch. Default 1. */
  validationsPerEpoch?: number;
  /** L2 penalty on the embedding vectors each batch looks up (see core's `TrainOptions.embeddingL2`). Default 0. */
  embeddingL2?: number;
  /** Embedding dimension. */
  embeddingDim: number;
  /**
   * Train on this many rows of the training split only: a prefix of one seeded shuffle, so that smaller sizes are
   * subsets of larger ones (`--train-rows`). The result then carries the size's point of the data-efficiency curve
   * in `trainRowsCurve`. Default: every training row.
   */
  trainRows?: number;
  /**
   * Folder that keeps every finished run's test predictions (beside the runs file), so that a resumed comparison
   * computes its statistics without retraining. Default: predictions are kept in memory only.
   */
  predictionsDir?: string;
  /** Receives one line per event (dataset loaded, epoch done, run done). Default: silent. */
  log?: (line: string) => void;
  /** A dataset already loaded (skips loading; tests and embedding tools). */
  loaded?: LoadedDataset;
  /** Where the model names are looked up. Default: the CLI's {@link MODELS}. */
  registry?: ModelRegistry;
  /** Configurations by model (`--config model=best.json`, or the winners of `--tune-trials`): their values replace the protocol's for that model. */
  configs?: Readonly<Record<string, TunedConfig>>;
  /** How `--tune-trials` tuned the models, recorded in the result. */
  tuning?: CompareTuning;
  /** Runs finished earlier (a resumed comparison, from a `RunStore`): not trained again, and part of the result. */
  finished?: readonly CompareRun[];
  /** Called with every run as it finishes (e.g. to write it to a `RunStore`), before the next one starts. */
  onRun?: (run: CompareRun) => void | Promise<void>;
  /**
   * Stops the comparison: the run in progress stops after its current step and is dropped, and `runComparison`
   * throws an InterruptedError; `partialResult(error)` then holds the runs finished so far.
   */
  signal?: AbortSignal;
}

/** The options of {@link runComparison} that do not change what a run computes (not part of a runs file's key). */
// `tuning` is the record of the searches (its times differ between sessions); the `configs` they chose are part of the key.
export const NOT_PROTOCOL_OPTIONS: readonly string[] = [
  'models',
  'seeds',
  'finished',
  'log',
  'loaded',
  'registry',
  'onRun',
  'signal',
  'tuning',
  'predictionsDir',
];

function metricValue(value: number | undefined): number | null {
  return value === undefined || !Number.isFinite(value) ? null : value;
}

function runMetrics(
  metrics: Record<string, { auc?: number; logloss?: number; count?: number; positives?: number }>,
): Record<string, RunTaskMetrics> {
  const out: Record<string, RunTaskMetrics> = {};
  for (const [task, m] of Object.entries(metrics)) {
    out[task] = { auc: metricValue(m.auc), logloss: metricValue(m.logloss), count: m.count, positives: m.positives };
  }
  return out;
}

/** Row and column names of a diagnostic, from the model's architecture record where it names them. */
function diagnosticLabels(model: MultiTaskModel, name: string, shape: number[]): Pick<RunDiagnostic, 'rowLabels' | 'columnLabels'> {
  const arch = (model.spec.architecture ?? {}) as { targets?: string[] };
  const towers = model.spec.tasks.filter((t) => !t.product).map((t) => t.name);
  const rows = shape.length === 2 ? shape[0]! : 1;
  const cols = shape[shape.length - 1]!;
  if (/similarity/.test(name) && arch.targets?.length === rows && rows === cols)
    return { rowLabels: arch.targets, columnLabels: arch.targets };
  const rowLabels = arch.targets?.length === rows ? arch.targets : towers.length === rows ? towers : undefined;
  return { rowLabels, columnLabels: /gate/.test(name) ? Array.from({ length: cols }, (_, j) => `expert ${j}`) : undefined };
}

/**
 * Trains every model with every seed under one protocol and collects the results: build, train with early
 * stopping on the validation split (monitor: mean AUC of the target tasks), restore the best weights,
 * evaluate the test split once, and record per-task test AUC and log loss, epochs, time, throughput, the
 * validation curve per epoch, and the diagnostics (router similarity, gate weights) averaged over the test split.
 */
export async function runComparison(options: ComparisonOptions): Promise<CompareResult> {
  const partial: { result?: () => CompareResult } = {};
  try {
    return await compareRuns(options, partial);
  } catch (error) {
    if (partial.result) attachPartialResult(error, partial.result());
    throw error;
  }
}

/** The comparison itself; `partial.result` is set as soon as runs can finish, so that a failure keeps what exists. */
async function compareRuns(options: ComparisonOptions, partial: { result?: () => CompareResult }): Promise<CompareResult> {
  const log = options.log ?? (() => undefined);
  const engine = await initEngine({ quiet: true });
  const dataset =
    options.loaded ??
    (await loadDataset(options.dataset, {
      dataDir: options.dataDir,
      taskSet: options.taskSet,
      maxRowsPerFile: options.maxRows,
      simulator:
        options.maxRows !== undefined || options.simulator !== undefined
          ? { ...options.simulator, ...(options.maxRows !== undefined ? { trainRows: options.maxRows } : {}) }
          : undefined,
    }));
  const test = dataset.splits.test;
  if (!test) throw new DataError(`dataset "${dataset.name}" has no test split; a comparison scores the test split once at the end`);
  const trainTable = options.trainRows !== undefined ? trainSubset(dataset.splits.train, options.trainRows) : dataset.splits.train;
  const taskNames = dataset.tasks.map((t) => t.name);
  const truth: TestTruth = {
    labels: Object.fromEntries(dataset.tasks.map((t) => [t.name, test.labels[t.label ?? t.name]!])),
    masks: Object.fromEntries(dataset.tasks.map((t) => [t.name, taskMask(test, dataset.tasks, t.name)])),
    trueProbabilities: dataset.trueProbabilities?.test,
  };
  const predictionFiles =
    options.predictionsDir !== undefined ? new TestPredictionFiles(options.predictionsDir, taskNames, test.rows) : undefined;
  const predictions = new Map<string, TestPredictions>();
  const testRows = test.rows;
  for (const warning of dataset.warnings ?? []) log(`warning: ${warning}`);
  const targets = targetTasks(dataset.tasks);
  const monitorText = `mean validation AUC of ${targets.join(', ')}`;
  log(
    `${dataset.name} (${dataset.taskSet}): ${trainTable.rows}${options.trainRows !== undefined ? ` (of ${dataset.splits.train.rows})` : ''} train, ${dataset.splits.validation.rows} validation, ${test.rows} test rows; tasks ${dataset.tasks.map((t) => t.name).join(', ')}; backend ${engine.backend}`,
  );

  const stepsPerEpoch = Math.ceil(trainTable.rows / options.batchSize);
  const validateEvery = Math.max(1, Math.ceil(stepsPerEpoch / (options.validationsPerEpoch ?? 1)));
  // A model with a configuration trains with its values where it sets them, the protocol's elsewhere.
  const settingsOf = (name: string) =>
    runSettings(
      { ...options, validationsPerEpoch: options.validationsPerEpoch ?? 1, embeddingL2: options.embeddingL2 ?? 0 },
      options.configs?.[name],
    );
  const registry = options.registry ?? MODELS;
  // Up front: a model that cannot run on the task set is left out with one line; one with a natural form is adapted.
  const leftOut: LeftOutModel[] = [];
  const planned: Array<{ name: string; options: Readonly<Record<string, unknown>> }> = [];
  for (const name of options.models) {
    const plan = registry.plan(name, dataset.tasks);
    if (!plan.ok) {
      leftOut.push({ model: name, reason: plan.reason });
      log(`left out ${name}: ${plan.reason}`);
      continue;
    }
    if (plan.note) log(plan.note);
    planned.push({ name, options: plan.options });
  }
  if (planned.length === 0) {
    throw new ConfigError(
      `none of the models can run on ${dataset.name} (${dataset.taskSet}): ${leftOut.map((l) => `${l.model}: ${l.reason}`).join('; ')}`,
      'models',
    );
  }

  const results: CompareRun[] = [];
  partial.result = () => resultOf(results);
  const finished = new Map((options.finished ?? []).map((r) => [runId(r.model, r.seed), r]));
  const toDo = planned.flatMap(({ name }) => options.seeds.filter((seed) => !finished.has(runId(name, seed))).map(() => name));
  const total = planned.length * options.seeds.length;
  const progress = new RunProgress(total, toDo, log, total - toDo.length);
  if (toDo.length < total) log(`resuming: ${total - toDo.length} of ${total} runs finished earlier, ${toDo.length} to go`);
  const yieldToEvents = eventLoopYielder();
  const interrupted = () =>
    new InterruptedError(
      `interrupted after ${results.length} of ${total} runs; the finished runs are kept (rerun the same command with --resume to finish)`,
    );
  for (const { name, options: adapted } of planned) {
    const settings = settingsOf(name);
    for (const seed of options.seeds) {
      const earlier = finished.get(runId(name, seed));
      if (earlier) {
        results.push(earlier);
        const kept = predictionFiles?.load(name, seed);
        if (kept) predictions.set(runId(name, seed), kept);
        continue;
      }
      if (options.signal) await new Promise<void>((resolve) => setImmediate(resolve));
      if (options.signal?.aborted) throw interrupted();
      progress.start(name, seed);
      const model = registry.build(name, {
        features: dataset.features,
        tasks: dataset.tasks,
        seed,
        ...adapted,
        ...settings.modelOptions,
        embeddingDim: settings.embeddingDim,
      });
      const monitor = targetMonitor(targets, model.taskNames);
      try {
        const curves: EpochPoint[] = [];
        const started = performance.now();
        const history = await train(model, {
          ...settings.extraTraining,
          train: trainTable,
          validation: dataset.splits.validation,
          epochs: settings.epochs,
          batchSize: settings.batchSize,
          learningRate: settings.learningRate,
          seed,
          validateEvery: Math.max(1, Math.ceil(Math.ceil(dataset.splits.train.rows / settings.batchSize) / settings.validationsPerEpoch)),
          embeddingL2: settings.embeddingL2,
          earlyStopping: { monitor, patience: settings.patience, minDelta: settings.minDelta, restoreBestWeights: true },
          progress: 'none',
          callbacks: {
            onBatchEnd: async (_step, _logs, control) => {
              // Let a Ctrl-C handler run (steps are mostly synchronous), then stop after this step when asked.
              if (options.signal) await yieldToEvents();
              if (options.signal?.aborted) control.stop();
            },
            onValidation: (point) => {
              curves.push({
                epoch: point.epoch + (Number.isFinite(point.epochProgress) ? point.epochProgress : 1),
                step: point.step,
                trainLoss: null,
                monitor: metricValue(point.monitor.value),
                validation: runMetrics(point.validation),
              });
            },
            onEpochEnd: (epoch, logs) => {
              const last = curves[curves.length - 1];
              if (last) last.trainLoss = metricValue(logs.losses.total);
              log(
                `  ${name} seed ${seed} epoch ${epoch + 1}: loss ${last?.trainLoss?.toFixed(4) ?? 'n/a'}, validation ${logs.monitor?.description ?? 'n/a'}, ${Math.round(logs.samplesPerSecond)} samples/s`,
              );
            },
          },
        });
        const trainSeconds = (performance.now() - started) / 1000;
        if (options.signal?.aborted) throw interrupted();
        // One inference pass over the test split gives both the metrics (exactly what `evaluate` computes) and the diagnostics.
        const prediction = model.predict(test, { batchSize: 8192 });
        const evaluation = evaluateTasks(model.spec.tasks, prediction.tasks, test.labels, test.groups);
        const diagnostics: RunDiagnostic[] = Object.entries(prediction.diagnostics).map(([diagName, d]) => ({
          name: diagName,
          shape: d.shape,
          values: Array.from(d.mean, (v) => Number(v.toFixed(6))),
          ...diagnosticLabels(model, diagName, d.shape),
        }));
        const run: CompareRun = {
          model: name,
          seed,
          epochs: history.history.length,
          bestEpoch: (history.bestEpoch ?? history.history.length - 1) + 1,
          bestStep: history.bestStep ?? null,
          stoppedAtLimitImproving: history.stoppedAtLimitImproving,
          trainSeconds,
          trainSamplesPerSec: Math.round(history.samplesPerSecond),
          parameters: countParameters(model),
          tasks: runMetrics(evaluation),
          curves,
          diagnostics,
        };
        const testPredictions: TestPredictions = Object.fromEntries(
          taskNames.filter((t) => prediction.tasks[t] !== undefined).map((t) => [t, prediction.tasks[t]!]),
        );
        predictionFiles?.save(name, seed, testPredictions);
        predictions.set(runId(name, seed), testPredictions);
        results.push(run);
        await options.onRun?.(run);
        progress.end(name);
        if (run.stoppedAtLimitImproving) {
          log(`warning: ${name} seed ${seed} was still improving when it reached the limit of ${options.epochs} epochs; raise --epochs`);
        }
        log(
          `${name} seed ${seed}: ${run.epochs} epochs (best ${run.bestEpoch}) in ${trainSeconds.toFixed(1)} s; test AUC ${Object.entries(
            run.tasks,
          )
            .map(([t, m]) => `${t} ${m.auc?.toFixed(4) ?? 'n/a'}`)
            .join(', ')}`,
        );
      } finally {
        model.dispose();
      }
    }
  }
  return resultOf(results);

  /** The runs not finished (absent when every run finished): a result built after an interruption or a failure. */
  function missingRuns(done: CompareRun[]): Pick<CompareResult, 'missingRuns'> {
    const ids = new Set(done.map((r) => runId(r.model, r.seed)));
    const missing = planned.flatMap(({ name }) => options.seeds.map((seed) => runId(name, seed))).filter((id) => !ids.has(id));
    return missing.length ? { missingRuns: missing } : {};
  }

  /** The comparison's result from the runs that exist (all of them, or those finished before it stopped). */
  function resultOf(results: CompareRun[]): CompareResult {
    const base = baseResultOf(results);
    const evidence = comparisonStatistics(base, predictions, truth, registry);
    const curve =
      options.trainRows !== undefined
        ? {
            trainRowsCurve: [
              {
                trainRows: trainTable.rows,
                trainPositives: Object.fromEntries(taskNames.map((t) => [t, countPositives(trainTable, dataset.tasks, t)])),
                points: curvePoints(base, predictions, truth),
                comparisons: evidence.comparisons,
                ...missingRuns(results),
              },
            ],
          }
        : {};
    return { ...base, ...evidence, ...curve };
  }

  /** The result without the statistics. */
  function baseResultOf(results: CompareRun[]): CompareResult {
    return {
      dataset: dataset.name,
      taskSet: dataset.taskSet ?? null,
      backend: engine.backend,
      results,
      taskNames: dataset.tasks.map((t) => t.name),
      targetTasks: targets,
      protocol: {
        epochs: options.epochs,
        batchSize: options.batchSize,
        learningRate: options.learningRate,
        patience: options.patience,
        validationsPerEpoch: options.validationsPerEpoch ?? 1,
        validateEvery,
        embeddingL2: options.embeddingL2 ?? 0,
        monitor: monitorText,
        models: planned.map((p) => p.name),
        seeds: [...options.seeds],
      },
      leftOut,
      ...missingRuns(results),
      splits: { train: trainTable.rows, validation: dataset.splits.validation.rows, test: testRows },
      optimalAuc: dataset.optimalAuc?.test ? { ...dataset.optimalAuc.test } : null,
      createdAt: new Date().toISOString(),
      versions: packageVersions(),
      ...(options.configs
        ? { configs: Object.fromEntries(planned.filter((p) => options.configs![p.name]).map((p) => [p.name, options.configs![p.name]!])) }
        : {}),
      ...(options.tuning ? { tuning: options.tuning } : {}),
    };
  }
}

/** Positive rows of a task in its own sample space. */
function countPositives(table: EncodedTable, tasks: readonly TaskSpec[], task: string): number {
  const spec = tasks.find((t) => t.name === task)!;
  const mask = taskMask(table, tasks, task);
  const labels = table.labels[spec.label ?? spec.name]!;
  let positives = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i] === 1 && labels[i] === 1) positives++;
  return positives;
}
