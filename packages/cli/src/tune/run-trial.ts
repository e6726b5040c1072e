import { InterruptedError, isEktmError, splitSearchPoint, train, type ModelRegistry } from '@ektm/core';
import type { LoadedDataset } from '@ektm/datasets';
import { targetMonitor } from '../compare/target-tasks.js';
import type { BudgetKind } from './tune-budget.js';
import type { TrialRecord, TrialTaskMetrics, TuneProtocol } from './trial-record.js';

/** One trial run to do: a trial's configuration and the resource of its rung. */
export interface TrialJob {
  /** The trial's id. */
  trial: number;
  /** The rung. */
  rung: number;
  /** Epochs, or seconds of training. */
  resource: number;
  /** The configuration (search-space key to value). */
  config: Record<string, unknown>;
}

/** What every trial of a search shares: the data (never the test split), the model, the protocol and the seed. */
export interface TrialContext {
  /** Train and validation splits only: tuning never holds the test split. */
  dataset: Pick<LoadedDataset, 'features' | 'tasks'> & { splits: Pick<LoadedDataset['splits'], 'train' | 'validation'> };
  /** Registry name of the model. */
  model: string;
  /** Where the model is looked up. */
  registry: ModelRegistry;
  /** The settings every trial shares. */
  protocol: TuneProtocol;
  /** Seed of every trial's initialisers and shuffling. */
  seed: number;
  /** Whether the resource counts epochs or seconds. */
  budgetKind: BudgetKind;
  /** The tasks the score averages. */
  targets: readonly string[];
}

function metric(value: number | undefined): number | null {
  return value === undefined || !Number.isFinite(value) ? null : value;
}

/**
 * The builder and training options of one configuration: the protocol's values, then the adaptation of the model to
 * the task set, then the configuration's own values on top (dotted paths nested). `validateEvery` follows the batch
 * size the configuration chose, so that every trial validates `validationsPerEpoch` times an epoch.
 */
export function trialOptions(
  context: Omit<TrialContext, 'budgetKind' | 'targets'>,
  config: Record<string, unknown>,
): { model: Record<string, unknown>; training: Record<string, unknown> & { batchSize: number; validateEvery: number } } {
  const { protocol, registry, model, dataset } = context;
  const plan = registry.plan(model, dataset.tasks);
  const adapted = plan.ok ? plan.options : {};
  const split = splitSearchPoint(config, registry.optionSchema(model), {
    model: { embeddingDim: protocol.embeddingDim, ...adapted },
    training: { batchSize: protocol.batchSize, learningRate: protocol.learningRate, embeddingL2: protocol.embeddingL2 },
  });
  const batchSize = split.training.batchSize as number;
  const stepsPerEpoch = Math.ceil(dataset.splits.train.rows / batchSize);
  const validateEvery = Math.max(1, Math.ceil(stepsPerEpoch / protocol.validationsPerEpoch));
  return { model: split.model, training: { ...split.training, batchSize, validateEvery } };
}

/**
 * Trains one trial to its rung, from scratch, on the training split, validating on the validation split with early
 * stopping on the target tasks' mean AUC (compare's monitor), and returns its record: the best validation's score and
 * per-task metrics. A loss or weight that became NaN or infinite gives a `diverged` record, and any other error (a
 * configuration the model rejects) a `failed` one, so that a long search goes on. `shouldStop` is asked after every
 * step: when it says yes the run is abandoned and an {@link InterruptedError} thrown (nothing is recorded).
 */
export async function runTrial(context: TrialContext, job: TrialJob, shouldStop: () => boolean = () => false): Promise<TrialRecord> {
  const started = performance.now();
  const base = {
    type: 'trial' as const,
    trial: job.trial,
    rung: job.rung,
    resource: job.resource,
    config: job.config,
  };
  const curve: Array<[number, number | null]> = [];
  let lastYield = started;
  let best: Record<string, TrialTaskMetrics> | null = null;
  let interrupted = false;
  let built: ReturnType<ModelRegistry['build']> | undefined;
  try {
    const options = trialOptions(context, job.config);
    built = context.registry.build(context.model, {
      features: context.dataset.features,
      tasks: context.dataset.tasks,
      seed: context.seed,
      ...options.model,
    });
    const monitor = targetMonitor(context.targets, built.taskNames);
    const timeLimit = context.budgetKind === 'time' ? job.resource : Infinity;
    const { earlyStopping, ...training } = options.training as typeof options.training & { earlyStopping?: Record<string, unknown> };
    const result = await train(built, {
      ...training,
      train: context.dataset.splits.train,
      validation: context.dataset.splits.validation,
      epochs: context.budgetKind === 'epochs' ? job.resource : context.protocol.maxEpochs,
      seed: context.seed,
      earlyStopping: { patience: context.protocol.patience, ...earlyStopping, monitor, restoreBestWeights: false },
      progress: 'none',
      callbacks: {
        onBatchEnd: async (_step, _logs, control) => {
          // Training never waits on I/O: back to the event loop now and then, so that a signal (SIGINT) is handled.
          if (performance.now() - lastYield > 100) {
            await new Promise((resolve) => setImmediate(resolve));
            lastYield = performance.now();
          }
          if (shouldStop()) {
            interrupted = true;
            control.stop();
          } else if ((performance.now() - started) / 1000 >= timeLimit) control.stop();
        },
        onValidation: (point) => {
          curve.push([
            Number((point.epoch + (Number.isFinite(point.epochProgress) ? point.epochProgress : 1)).toFixed(4)),
            metric(point.monitor.value),
          ]);
          if (point.improved) {
            best = Object.fromEntries(
              Object.entries(point.validation).map(([t, m]) => [t, { auc: metric(m.auc), logloss: metric(m.logloss) }]),
            );
          }
        },
      },
    });
    if (interrupted) throw new InterruptedError(`trial ${job.trial} (rung ${job.rung}) was stopped before it finished`);
    return {
      ...base,
      status: 'ok',
      score: metric(result.bestMonitor?.value),
      validation: best,
      epochs: result.history.length,
      bestEpoch: result.bestEpoch === undefined ? null : result.bestEpoch + 1,
      bestStep: result.bestStep ?? null,
      stoppedEarly: result.stopReason === 'early-stopping',
      curve,
      seconds: (performance.now() - started) / 1000,
      finishedAt: new Date().toISOString(),
    };
  } catch (error) {
    if (isEktmError(error, 'interrupted')) throw error;
    return {
      ...base,
      status: isEktmError(error, 'training') ? 'diverged' : 'failed',
      score: null,
      validation: null,
      epochs: curve.length === 0 ? 0 : Math.ceil(curve[curve.length - 1]![0]),
      bestEpoch: null,
      bestStep: null,
      stoppedEarly: false,
      curve,
      seconds: (performance.now() - started) / 1000,
      error: (error as Error)?.message ?? String(error),
      finishedAt: new Date().toISOString(),
    };
  } finally {
    built?.dispose();
  }
}
