import { join } from 'node:path';
import { ConfigError, type ModelRegistry, type SearchSpace } from '@ektm/core';
import { MODELS } from '../models/models.js';
import { runTune } from './run-tune.js';
import type { TrialRecord, TuneProtocol } from './trial-record.js';
import type { TuneBudget } from './tune-budget.js';
import type { TunedConfig } from './tuned-config.js';
import { loadTuningData, type TuningDataSource } from './tuning-data.js';

/** One run of a model's search, as the compare JSON and the report keep it (the record without its curve). */
export type TuningRun = Omit<TrialRecord, 'curve' | 'type'>;

/** One model's search in a comparison. */
export interface ModelTuning {
  /** The search's folder (trials.jsonl, best.json, summary.json). */
  dir: string;
  /** The space searched. */
  space: SearchSpace;
  /** The winning run. */
  best: TuningRun;
  /** The configuration the comparison's final runs used. */
  config: TunedConfig;
  /** Every run, by rung then trial. */
  runs: TuningRun[];
  /** Wall-clock seconds of the search in this session (0 when every run was recorded before). */
  seconds: number;
}

/**
 * How `ektm compare --tune-trials` tuned the models: every model with the same trials, budget, seed and protocol, so
 * that the comparison is fair by construction. Kept in the compare JSON (`tuning`) and drawn by the report.
 */
export interface CompareTuning {
  /** Trials per model. */
  trials: number;
  /** The budget every model got. */
  budget: TuneBudget;
  /** Seed of every search. */
  seed: number;
  /** Worker processes per search. */
  workers: number;
  /** What every search maximised: `mean validation AUC of ...`. */
  monitor: string;
  /** The settings every trial shared. */
  protocol: TuneProtocol;
  /** Each model's search, by model name. */
  models: Record<string, ModelTuning>;
}

/** What {@link tuneForComparison} gives the comparison. */
export interface CompareTuningOutcome {
  /** Each tuned model's winning configuration, by model name: what its final seeds train with. */
  configs: Record<string, TunedConfig>;
  /** The record of the searches, for the compare JSON and the report. */
  tuning: CompareTuning;
}

/** Options of {@link tuneForComparison}. */
export interface CompareTuningOptions {
  /** The comparison's data. */
  source: TuningDataSource;
  /** The models to tune (those the comparison runs). */
  models: readonly string[];
  /** Trials per model. */
  trials: number;
  /** The budget every model gets. */
  budget: TuneBudget;
  /** Seed of every search. */
  seed: number;
  /** Worker processes per search. */
  workers: number;
  /** Folder of the searches: one subfolder per model. */
  dir: string;
  /** Settings every trial shares: the comparison's protocol. */
  protocol: Partial<TuneProtocol>;
  /** Where the models are looked up. Default: the CLI's `MODELS`. */
  registry?: ModelRegistry;
  /** Receives the searches' progress lines. */
  log?: (line: string) => void;
  /** Stops the searches (resumable). */
  signal?: AbortSignal;
}

/**
 * Tunes every model of a comparison the same way (same trials, budget, seed, protocol and monitor; the data loaded once,
 * without its test split) and returns each model's winning configuration with the record of the searches. A model that
 * cannot run on the task set is skipped (the comparison leaves it out with its reason). Each search is resumable in
 * `dir/<model>`.
 */
export async function tuneForComparison(options: CompareTuningOptions): Promise<CompareTuningOutcome> {
  const registry = options.registry ?? MODELS;
  const log = options.log ?? (() => undefined);
  const data = await loadTuningData(options.source);
  const models: Record<string, ModelTuning> = {};
  const configs: Record<string, TunedConfig> = {};
  let monitor = '';
  let protocol: TuneProtocol | undefined;
  for (const model of options.models) {
    if (!registry.plan(model, data.tasks).ok) continue;
    const dir = join(options.dir, model);
    const result = await runTune({
      source: options.source,
      loaded: data,
      model,
      trials: options.trials,
      seed: options.seed,
      outDir: dir,
      workers: options.workers,
      budget: options.budget,
      protocol: options.protocol,
      registry,
      log,
      signal: options.signal,
    });
    if (!result.best || !result.bestConfig) throw new ConfigError(`tuning ${model}: no run finished`, 'tune-trials');
    monitor = result.monitor;
    protocol = result.protocol;
    const compact = ({ curve: _curve, type: _type, ...run }: TrialRecord): TuningRun => run;
    models[model] = {
      dir,
      space: result.space,
      best: compact(result.best),
      config: result.bestConfig,
      runs: result.runs.map(compact),
      seconds: result.seconds,
    };
    configs[model] = result.bestConfig;
  }
  return {
    configs,
    tuning: {
      trials: options.trials,
      budget: options.budget,
      seed: options.seed,
      workers: options.workers,
      monitor,
      protocol: protocol!,
      models,
    },
  };
}
