import { resolve } from 'node:path';
import { ConfigError, InterruptedError, isEktmError } from '@ektm/core';
import type { OptionSpec } from '../cli/command-spec.js';
import type { CliIo } from '../cli/io.js';
import { intOption } from '../cli/option-values.js';
import { UsageError } from '../cli/usage-error.js';
import { MODELS } from '../models/models.js';
import { tuneForComparison, type CompareTuning } from './compare-tuning.js';
import { stopOnSignals } from './stop-on-signals.js';
import { parseBudget, quickBudget } from './tune-budget.js';
import { QUICK_LIMITS, quickCap, quickRequested } from '../util/quick-mode.js';
import { readTunedConfig, type TunedConfig } from './tuned-config.js';

/** The flags `ektm compare` takes for configurations and tuning. */
export const TUNE_HOOK_OPTIONS: OptionSpec[] = [
  {
    name: 'config',
    type: 'string',
    valueName: '<model=file,...>',
    description: "configurations by model (ektm tune's best.json): their values replace the protocol's for that model",
  },
  {
    name: 'tune-trials',
    type: 'string',
    valueName: '<n>',
    description:
      'tune every model first with ektm tune: n trials each, the same budget and seed for all, then run the seeds with the winners',
  },
  {
    name: 'tune-budget',
    type: 'string',
    valueName: '<epochs=n|time=d>',
    description: 'the budget of every search (as ektm tune --budget)',
    defaultText: 'epochs=<--epochs>',
  },
  { name: 'tune-seed', type: 'string', valueName: '<n>', description: 'seed of every search', defaultText: '0' },
  { name: 'tune-workers', type: 'string', valueName: '<n>', description: 'worker processes of every search', defaultText: '1' },
  {
    name: 'tune-dir',
    type: 'string',
    valueName: '<dir>',
    description: 'folder of the searches (one per model; rerun to resume)',
    defaultText: 'out/tune',
  },
];

/** The paragraph of `ektm compare --help` on tuning. */
export const TUNE_HOOK_DETAILS =
  'Tuning (--tune-trials n): before the seeds, every model is tuned by ektm tune on the validation split with the same trials, ' +
  'budget, seed, protocol and monitor (a search per model in --tune-dir/<model>, resumable), and its final runs use the winning ' +
  'configuration; the JSON keeps every search ("tuning") and the report shows the trial scores and each parameter against the score. ' +
  '--config model=best.json gives a model a configuration without tuning.';

/** The comparison settings the tuning follows. */
interface ComparisonBase {
  dataset: string;
  dataDir: string | undefined;
  taskSet: string | undefined;
  maxRows: number | undefined;
  models: string[];
  epochs: number;
  batchSize: number;
  learningRate: number;
  patience: number;
  validationsPerEpoch: number;
  embeddingL2: number;
  embeddingDim: number;
}

/** `--config mmoe=a.json,ektm=b.json`: each model's configuration file, read and checked for that model. */
function readConfigList(text: string, models: readonly string[], cwd: string): Record<string, TunedConfig> {
  const configs: Record<string, TunedConfig> = {};
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq <= 0 || eq === part.length - 1) {
      throw new UsageError(
        `ektm compare: --config ${JSON.stringify(part)} is not allowed; use model=file.json (comma-separated for several)`,
        'compare',
      );
    }
    const model = part.slice(0, eq);
    if (!models.includes(model)) {
      throw new UsageError(
        `ektm compare: --config names ${JSON.stringify(model)}, which is not among the models compared (${models.join(', ')})`,
        'compare',
      );
    }
    if (configs[model]) throw new UsageError(`ektm compare: --config gives ${model} twice`, 'compare');
    configs[model] = readTunedConfig(resolve(cwd, part.slice(eq + 1)), MODELS, model);
  }
  return configs;
}

/**
 * What `--config` and `--tune-trials` give the comparison: each model's configuration, and the record of the searches.
 * The searches stop cleanly on SIGINT (rerun the same command to resume them).
 */
export async function tuneHook(
  values: Record<string, string | boolean | undefined>,
  base: ComparisonBase,
  argv: readonly string[],
  io: CliIo,
  log: ((line: string) => void) | undefined,
): Promise<{ configs?: Record<string, TunedConfig>; tuning?: CompareTuning }> {
  const configs = typeof values.config === 'string' ? readConfigList(values.config, base.models, io.cwd) : undefined;
  // A smoke run (EKTM_QUICK=1, announced by compare) tunes with at most two trials of one epoch.
  const quick = quickRequested(io);
  const askedTrials = intOption('compare', 'tune-trials', values['tune-trials'], { min: 1 });
  // Capped only when asked for: a quick comparison without --tune-trials tunes nothing.
  const trials = askedTrials === undefined ? undefined : quickCap(quick, askedTrials, QUICK_LIMITS.tuneTrials);
  if (trials === undefined) {
    for (const flag of ['tune-budget', 'tune-seed', 'tune-workers', 'tune-dir']) {
      if (values[flag] !== undefined) throw new UsageError(`ektm compare: --${flag} needs --tune-trials`, 'compare');
    }
    return configs ? { configs } : {};
  }
  const both = Object.keys(configs ?? {});
  if (both.length > 0) {
    throw new ConfigError(
      `--config and --tune-trials both set the configuration of ${both.join(', ')}; give a model one or the other`,
      'config',
    );
  }
  const asked = parseBudget((values['tune-budget'] as string | undefined) ?? `epochs=${base.epochs}`);
  const budget = quick ? quickBudget(asked) : asked;
  const controller = new AbortController();
  const removeHandlers = stopOnSignals(controller, (line) => io.stderr.write(`${line}\n`));
  try {
    const tuned = await tuneForComparison({
      source: { dataset: base.dataset, dataDir: base.dataDir, taskSet: base.taskSet, maxRows: base.maxRows },
      models: base.models,
      trials,
      budget,
      seed: intOption('compare', 'tune-seed', values['tune-seed'], { min: 0 }) ?? 0,
      workers: intOption('compare', 'tune-workers', values['tune-workers'], { min: 1 }) ?? 1,
      dir: resolve(io.cwd, (values['tune-dir'] as string | undefined) ?? 'out/tune'),
      protocol: {
        batchSize: base.batchSize,
        learningRate: base.learningRate,
        patience: base.patience,
        validationsPerEpoch: base.validationsPerEpoch,
        embeddingL2: base.embeddingL2,
        embeddingDim: base.embeddingDim,
      },
      log,
      signal: controller.signal,
    });
    return { configs: tuned.configs, tuning: tuned.tuning };
  } catch (error) {
    if (isEktmError(error, 'interrupted')) {
      throw new InterruptedError(
        `${error.message.replace(/ Run the same command again to resume\.$/, '')} Resume with: ektm compare ${argv.join(' ')}`,
        {
          cause: error,
        },
      );
    }
    throw error;
  } finally {
    removeHandlers();
  }
}
