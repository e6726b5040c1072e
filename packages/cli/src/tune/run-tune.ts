import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import {
  ConfigError,
  InterruptedError,
  initEngine,
  isEktmError,
  splitSearchPoint,
  validateSearchSpace,
  type ModelRegistry,
  type SearchSpace,
} from '@ektm/core';
import { targetTasks } from '../compare/target-tasks.js';
import { MODELS } from '../models/models.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { drawConfig } from './draw-config.js';
import { ProcessPoolExecutor } from './process-pool.js';
import type { TrialContext, TrialJob } from './run-trial.js';
import { labelChecksum } from './search-identity.js';
import { lockSearchDir } from './search-lock.js';
import { InProcessExecutor, type TrialExecutor } from './trial-executor.js';
import type { SearchIdentity, TrialRecord, TuneProtocol } from './trial-record.js';
import { TrialsFile } from './trials-file.js';
import { DEFAULT_TUNE_BUDGET, formatBudget, formatDuration, successiveHalvingRungs, type TuneBudget } from './tune-budget.js';
import { TuneProgress } from './tune-progress.js';
import type { TuneResult } from './tune-result.js';
import type { TunedConfig } from './tuned-config.js';
import type { LoadedDataset } from '@ektm/datasets';
import { loadTuningData, type TuningDataSource } from './tuning-data.js';

/** The settings every trial shares when the caller gives none: those of `ektm compare`, so a tuned model compares as tuned. */
export const DEFAULT_TUNE_PROTOCOL: TuneProtocol = {
  batchSize: 1024,
  learningRate: 3e-3,
  embeddingDim: 8,
  embeddingL2: 0,
  patience: 2,
  validationsPerEpoch: 1,
  maxEpochs: 100,
};

/** Options of {@link runTune}. */
export interface TuneOptions {
  /** The data (train and validation are loaded; the test split never is). */
  source: TuningDataSource;
  /** Registry name of the model. */
  model: string;
  /** Trials: configurations drawn, each trained in rung 0. At least 1. */
  trials: number;
  /** Seed of the configurations and of every trial's training. Default 0. */
  seed?: number;
  /** The search's folder: trials.jsonl, best.json, summary.json. Created when missing. */
  outDir: string;
  /** Worker processes, at most the machine's cores; 1 trains in this process. Default 1. */
  workers?: number;
  /** What each trial may train, and how successive halving narrows them down. Default {@link DEFAULT_TUNE_BUDGET}. */
  budget?: TuneBudget;
  /** The search space. Default: the model's, from the registry. */
  space?: SearchSpace;
  /** Settings every trial shares (those the space does not vary). Default {@link DEFAULT_TUNE_PROTOCOL}. */
  protocol?: Partial<TuneProtocol>;
  /** Where the model is looked up. Default: the CLI's `MODELS` (worker processes always use `MODELS`). */
  registry?: ModelRegistry;
  /** Receives one line per event (start, each finished run with its score and the ETA, each rung). Default: silent. */
  log?: (line: string) => void;
  /** Stops the search: the runs in progress are dropped (done again on resume), and an `InterruptedError` is thrown. */
  signal?: AbortSignal;
  /**
   * The training and validation splits already loaded by {@link loadTuningData} from `source` (a comparison tunes several
   * models on one load). It must not hold a test split. Default: loaded here.
   */
  loaded?: TuningDataset;
}

/** A dataset as tuning holds it: everything of a loaded dataset but the test split. */
export type TuningDataset = Omit<LoadedDataset, 'splits'> & {
  /** The training and validation splits; the test split is never loaded for tuning. */
  splits: Pick<LoadedDataset['splits'], 'train' | 'validation'>;
};

/** Whether a run has a score to rank (a run whose target tasks had one class in the validation split has none). */
function scored(record: TrialRecord): boolean {
  return record.status === 'ok' && record.score !== null;
}

/** Best first: a higher score, then the lower trial id; runs without a score last. */
function ranked(records: readonly TrialRecord[]): TrialRecord[] {
  return [...records].sort((a, b) => (b.score ?? -Infinity) - (a.score ?? -Infinity) || a.trial - b.trial);
}

/** Checks the options that need no data; returns the workers and the space. */
function checkOptions(
  options: TuneOptions,
  registry: ModelRegistry,
): { workers: number; space: SearchSpace; budget: TuneBudget; seed: number } {
  const definition = registry.get(options.model);
  if (!Number.isInteger(options.trials) || options.trials < 1) {
    throw new ConfigError(`tune: trials ${JSON.stringify(options.trials)} is not allowed; use an integer >= 1`, 'trials');
  }
  const seed = options.seed ?? 0;
  if (!Number.isInteger(seed) || seed < 0)
    throw new ConfigError(`tune: seed ${JSON.stringify(seed)} is not allowed; use an integer >= 0`, 'seed');
  const cores = availableParallelism();
  const workers = options.workers ?? 1;
  if (!Number.isInteger(workers) || workers < 1 || workers > cores) {
    throw new ConfigError(
      `tune: workers ${JSON.stringify(workers)} is not allowed; use an integer from 1 to ${cores} (the cores of this machine)`,
      'workers',
    );
  }
  const space = options.space ?? definition.searchSpace;
  validateSearchSpace(space, registry.optionSchema(options.model), options.space ? 'space' : `model "${options.model}": searchSpace`);
  if (Object.keys(space).length === 0) {
    throw new ConfigError(
      `tune: the search space of ${options.model} is empty; there is nothing to tune (give a space with --space)`,
      'space',
    );
  }
  const budget = options.budget ?? DEFAULT_TUNE_BUDGET;
  if (budget.kind === 'epochs' && 'epochs' in space) {
    throw new ConfigError(
      'tune: the search space varies epochs, which the budget sets (successive halving gives each rung its epochs); leave epochs out of the space',
      'space.epochs',
    );
  }
  return { workers, space, budget, seed };
}

/** Creates the folder (or checks that it is a writable folder). */
function prepareDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    if (!statSync(dir).isDirectory()) throw new Error('not a folder');
    accessSync(dir, constants.R_OK | constants.W_OK);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new ConfigError(
      `tune: cannot use ${dir} as the search folder (${reason}); give a folder you can read and write with --out`,
      'out',
      dir,
      { cause: error },
    );
  }
}

/** Runs jobs `executor.slots` at a time; each record is handed to `onRecord` as soon as it is done. */
async function runJobs(
  jobs: readonly TrialJob[],
  executor: TrialExecutor,
  onRecord: (record: TrialRecord, job: TrialJob) => void,
): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < jobs.length) {
      const job = jobs[next++]!;
      onRecord(await executor.run(job), job);
      // Back to the event loop between runs, so that a signal (SIGINT) is handled.
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  await Promise.all(Array.from({ length: Math.min(executor.slots, jobs.length) }, lane));
}

/** A run's score for a log line. */
function scoreText(record: TrialRecord): string {
  if (record.status === 'ok') return record.score === null ? 'no score' : record.score.toFixed(4);
  return `${record.status} (${(record.error ?? '').split('\n')[0]!.slice(0, 120)})`;
}

/**
 * Searches a model's hyperparameters on a dataset's validation split: draws `trials` configurations from the search
 * space (seeded), trains them by successive halving (every trial for the first rung's epochs, the best `1/eta` again for
 * `eta` times as long, ... up to the budget), each from scratch, with early stopping on the mean validation AUC of the
 * target tasks (compare's monitor), and picks the best run of the last rung. The test split is never loaded.
 *
 * Every finished run is appended to `outDir/trials.jsonl` at once. Calling it again with the same options resumes: the
 * recorded runs are kept, the others run, and the outcome is the same as an uninterrupted search (every run is seeded,
 * so it does not depend on the workers or the order). The winner is written to `outDir/best.json` (a
 * {@link TunedConfig}) and the whole outcome to `outDir/summary.json`.
 *
 * @throws ConfigError for an unknown model, trials < 1, too many workers, a bad or empty space, a folder that cannot be
 *   used, or a trials.jsonl of another search (the message says what differs).
 * @throws InterruptedError when `signal` stops it (the message says how many runs are recorded).
 */
export async function runTune(options: TuneOptions): Promise<TuneResult> {
  const started = performance.now();
  const log = options.log ?? (() => undefined);
  const registry = options.registry ?? MODELS;
  const { workers, space, budget, seed } = checkOptions(options, registry);
  const protocol: TuneProtocol = { ...DEFAULT_TUNE_PROTOCOL, ...options.protocol };
  const outDir = resolve(options.outDir);
  prepareDir(outDir);
  const release = lockSearchDir(outDir);
  let executor: TrialExecutor | undefined;
  const stop = () => executor?.stop();
  options.signal?.addEventListener('abort', stop);
  try {
    const engine = await initEngine({ quiet: true });
    if (options.loaded && 'test' in options.loaded.splits && options.loaded.splits.test !== undefined) {
      throw new ConfigError(
        'tune: the dataset given holds a test split; tuning must never hold it (load it with loadTuningData)',
        'loaded',
      );
    }
    const dataset = options.loaded ?? (await loadTuningData(options.source));
    const plan = registry.plan(options.model, dataset.tasks);
    if (!plan.ok)
      throw new ConfigError(`tune: ${options.model} cannot run on ${dataset.name} (${dataset.taskSet}): ${plan.reason}`, 'model');
    const targets = targetTasks(dataset.tasks);
    const monitor = `mean validation AUC of ${targets.join(', ')}`;
    const identity: SearchIdentity = {
      dataset: {
        name: dataset.name,
        source: options.source.dataset,
        taskSet: dataset.taskSet,
        maxRows: options.source.maxRows ?? null,
        trainRows: dataset.splits.train.rows,
        validationRows: dataset.splits.validation.rows,
        labelChecksum: labelChecksum(dataset),
      },
      tasks: dataset.tasks.map((t) => t.name),
      targets,
      model: options.model,
      space,
      seed,
      budgetKind: budget.kind,
      protocol,
    };
    const opened = TrialsFile.open(outDir, identity);
    const rungs = successiveHalvingRungs(budget, options.trials);
    const recorded = new Map(opened.records.map((r) => [`${r.trial}@${r.resource}`, r]));
    const runsOf = (resource: number) => [...recorded.values()].filter((r) => r.resource === resource && r.trial < options.trials);
    const total = rungs.reduce((n, r) => n + r.size, 0);
    const progress = new TuneProgress(
      total,
      rungs.reduce((n, r) => n + r.size * r.resource, 0),
      workers,
      budget.kind,
    );
    log(
      `tune ${options.model} on ${dataset.name} (${dataset.taskSet}): ${options.trials} trials, budget ${formatBudget(budget, options.trials)}, ` +
        `seed ${seed}, ${workers} worker${workers > 1 ? 's' : ''}; score: ${monitor}; ${dataset.splits.train.rows} train / ${dataset.splits.validation.rows} validation rows (test split not loaded); backend ${engine.backend}`,
    );
    if (opened.droppedTruncatedLine) log(`dropped the truncated last line of ${opened.file.path}; that run is done again`);
    if (opened.records.length > 0) log(`resuming: ${opened.records.length} run(s) already recorded in ${opened.file.path}`);
    if (options.signal?.aborted) throw new InterruptedError('tune: stopped before the first run');

    const context: TrialContext = { dataset, model: options.model, registry, protocol, seed, budgetKind: budget.kind, targets };
    if (workers === 1) executor = new InProcessExecutor(context);
    else {
      const pool = new ProcessPoolExecutor(workers, {
        type: 'init',
        source: options.source,
        model: options.model,
        protocol,
        seed,
        budgetKind: budget.kind,
        targets,
      });
      executor = pool;
      await pool.ready();
    }
    let bestSoFar: TrialRecord | undefined;
    const unit = (r: number) => (budget.kind === 'epochs' ? `${r} epoch${r === 1 ? '' : 's'}` : formatDuration(r));
    let newRuns = 0;
    for (const rung of rungs) {
      const previous = rung.rung === 0 ? undefined : rungs[rung.rung - 1]!;
      const candidates = previous
        ? ranked(runsOf(previous.resource).filter(scored))
            .slice(0, rung.size)
            .map((r) => r.trial)
        : Array.from({ length: options.trials }, (_, i) => i);
      if (candidates.length === 0) break;
      if (previous)
        log(
          `rung ${rung.rung} (${unit(rung.resource)}): the best ${candidates.length} of rung ${previous.rung}: trial${candidates.length > 1 ? 's' : ''} ${candidates.join(', ')}`,
        );
      const jobs: TrialJob[] = [];
      for (const trial of candidates) {
        const done = recorded.get(`${trial}@${rung.resource}`);
        if (done) {
          progress.reused(1, rung.resource);
          if (scored(done) && (!bestSoFar || ranked([done, bestSoFar])[0] === done)) bestSoFar = done;
        } else jobs.push({ trial, rung: rung.rung, resource: rung.resource, config: drawConfig(space, seed, trial) });
      }
      await runJobs(jobs, executor, (record, job) => {
        opened.file.append(record);
        recorded.set(`${record.trial}@${record.resource}`, record);
        newRuns++;
        progress.finished(record, job.resource);
        if (scored(record) && (!bestSoFar || ranked([record, bestSoFar])[0] === record)) bestSoFar = record;
        log(
          `${progress.count()} trial ${record.trial} rung ${record.rung} (${unit(record.resource)}): ${scoreText(record)} in ${record.seconds.toFixed(1)} s` +
            `${bestSoFar ? ` (best ${bestSoFar.score!.toFixed(4)}, trial ${bestSoFar.trial})` : ''}; ${progress.eta()}`,
        );
      });
    }

    const runs = rungs
      .flatMap((r) => runsOf(r.resource).map((record) => ({ ...record, rung: r.rung })))
      .sort((a, b) => a.rung - b.rung || a.trial - b.trial);
    const lastWithScore = [...rungs].reverse().find((r) => runs.some((x) => x.rung === r.rung && scored(x)));
    const best = lastWithScore ? ranked(runs.filter((r) => r.rung === lastWithScore.rung && scored(r)))[0]! : null;
    const bestConfig = best
      ? tunedConfigOf(best, {
          registry,
          model: options.model,
          protocol,
          budget,
          seed,
          trials: options.trials,
          dataset: dataset.name,
          taskSet: dataset.taskSet,
          monitor,
        })
      : null;
    const files = { trials: opened.file.path, best: best ? join(outDir, 'best.json') : null, summary: join(outDir, 'summary.json') };
    if (bestConfig) writeFileAtomic(files.best!, `${JSON.stringify(bestConfig, null, 2)}\n`);
    const result: TuneResult = {
      model: options.model,
      dataset: dataset.name,
      taskSet: dataset.taskSet,
      monitor,
      targets,
      seed,
      trials: options.trials,
      workers,
      budget,
      rungs: rungs.map((r) => ({ ...r, finished: runs.filter((x) => x.rung === r.rung).length })),
      space,
      protocol,
      runs,
      best,
      bestConfig,
      reused: opened.records.length,
      droppedTruncatedLine: opened.droppedTruncatedLine,
      seconds: (performance.now() - started) / 1000,
      backend: engine.backend,
      files,
      createdAt: new Date().toISOString(),
    };
    writeFileAtomic(files.summary, `${JSON.stringify(result, null, 2)}\n`);
    if (!best) {
      const first = runs.find((r) => r.error);
      throw new ConfigError(
        first
          ? `tune: every run of ${options.model} failed; the first: trial ${first.trial}: ${first.error}`
          : `tune: no run of ${options.model} has a validation score: ${targets.join(', ')} have a single class in the validation split`,
        first ? 'space' : 'dataset',
      );
    }
    log(
      `best: trial ${best.trial} (rung ${best.rung}, ${unit(best.resource)}): ${best.score!.toFixed(4)}; ${newRuns} run(s) in ${formatDuration(result.seconds)}; wrote ${files.best}`,
    );
    return result;
  } catch (error) {
    if (isEktmError(error, 'interrupted') || options.signal?.aborted) {
      throw new InterruptedError(
        `tune: stopped; every finished run is recorded in ${join(outDir, 'trials.jsonl')} (the runs in progress were dropped). Run the same command again to resume.`,
        { cause: error },
      );
    }
    throw error;
  } finally {
    options.signal?.removeEventListener('abort', stop);
    await executor?.close();
    release();
  }
}

/** The winning run as a configuration file: the protocol's training settings with the run's values on top, and its epochs. */
function tunedConfigOf(
  best: TrialRecord,
  search: {
    registry: ModelRegistry;
    model: string;
    protocol: TuneProtocol;
    budget: TuneBudget;
    seed: number;
    trials: number;
    dataset: string;
    taskSet: string;
    monitor: string;
  },
): TunedConfig {
  const { protocol } = search;
  const split = splitSearchPoint(best.config, search.registry.optionSchema(search.model), {
    model: { embeddingDim: protocol.embeddingDim },
    training: { batchSize: protocol.batchSize, learningRate: protocol.learningRate, embeddingL2: protocol.embeddingL2 },
  });
  const earlyStopping = (split.training.earlyStopping ?? {}) as Record<string, unknown>;
  return {
    model: search.model,
    training: {
      ...split.training,
      // A time budget's winner trained for as many epochs as its time allowed.
      epochs: search.budget.kind === 'epochs' ? best.resource : Math.max(1, best.epochs),
      earlyStopping: { patience: protocol.patience, ...earlyStopping },
    },
    options: split.model,
    validationsPerEpoch: protocol.validationsPerEpoch,
    tuning: {
      dataset: search.dataset,
      taskSet: search.taskSet,
      trial: best.trial,
      rung: best.rung,
      resource: best.resource,
      budgetKind: search.budget.kind,
      score: best.score!,
      monitor: search.monitor,
      seed: search.seed,
      trials: search.trials,
      createdAt: new Date().toISOString(),
    },
  };
}
