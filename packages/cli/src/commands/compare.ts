import { resolve } from 'node:path';
import type { Command } from '../cli/command.js';
import { printHelp } from '../cli/format-help.js';
import { parseCommand } from '../cli/parse-command.js';
import { intListOption, intOption, nameListOption, numberOption } from '../cli/option-values.js';
import { formatComparisonMarkdown, formatComparisonTable } from '../compare/format-table.js';
import { runComparison } from '../compare/run-comparison.js';
import { MODELS } from '../models/models.js';
import { renderReport } from '../report/render-report.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import type { TrainingHyperparameters } from '../util/training-hyperparameters.js';
import { TUNE_HOOK_DETAILS, TUNE_HOOK_OPTIONS, tuneHook } from '../tune/compare-tune-hook.js';
import { datasetArgument, datasetOptions, trainingOptions } from './shared-options.js';

/** The defaults of `ektm compare`. */
export interface CompareDefaults extends TrainingHyperparameters {
  /** Dataset when `--dataset` is not given. */
  readonly dataset: string;
  /** Simulated training rows when the dataset is the default one (the simulator's own default is 50,000). */
  readonly syntheticTrainRows: number;
  /** Models when `--models` is not given. */
  readonly models: readonly string[];
  /** Seeds when `--seeds` is not given. */
  readonly seeds: readonly number[];
}

/**
 * Defaults of `ektm compare`: the main job `npm start` runs (the seven main models, two seeds, three epochs on
 * 20,000 simulated training rows; a few minutes on 2 cores).
 */
export const COMPARE_DEFAULTS: CompareDefaults = {
  dataset: 'synthetic',
  syntheticTrainRows: 20_000,
  models: MODELS.mainNames(),
  seeds: [0, 1],
  epochs: 3,
  batchSize: 1024,
  learningRate: 3e-3,
  patience: 2,
  validationsPerEpoch: 1,
  embeddingL2: 0,
  embeddingDim: 8,
};

/** `ektm compare`: every model × every seed under one protocol; a table, JSON and an HTML report. */
export const compareCommand: Command = {
  spec: {
    name: 'compare',
    summary: 'train several models with several seeds under one protocol and compare their test metrics',
    usage: 'compare [--dataset <name|spec.json>] [--models a,b,c] [--seeds 0,1] [--epochs N] [--json out.json] [--report out.html]',
    options: [
      ...datasetOptions(false).map((o) =>
        o.name === 'max-rows'
          ? { ...o, defaultText: `all (${COMPARE_DEFAULTS.syntheticTrainRows} simulated training rows when --dataset is not given)` }
          : o,
      ),
      {
        name: 'models',
        type: 'string',
        valueName: '<a,b,c>',
        description: 'comma-separated model names (listed below)',
        defaultText: `the main models, ${MODELS.mainNames().join(',')}`,
      },
      {
        name: 'seeds',
        type: 'string',
        valueName: '<0,1,2>',
        description: 'comma-separated seeds; every model trains once per seed',
        defaultText: COMPARE_DEFAULTS.seeds.join(','),
      },
      ...trainingOptions(COMPARE_DEFAULTS),
      { name: 'json', type: 'string', valueName: '<file>', description: 'write the results as JSON (written atomically)' },
      {
        name: 'report',
        type: 'string',
        valueName: '<file>',
        description: 'write a self-contained HTML report with charts (written atomically)',
      },
      { name: 'markdown', type: 'string', valueName: '<file>', description: 'write the table as Markdown (written atomically)' },
      { name: 'quiet', short: 'q', type: 'boolean', description: 'no progress lines on stderr' },
      ...TUNE_HOOK_OPTIONS,
    ],
    details: [
      'Protocol, the same for every run: build the model with the seed, train with Adam on the train split, ' +
        'evaluate the validation split after every epoch and stop early when the mean validation AUC of the ' +
        "dataset's target tasks has not improved for --patience epochs, restore the best epoch's weights, then " +
        'score the test split once. The table shows, per task, the test AUC mean ± sample sd over seeds, the ' +
        'mean log loss and the training time; * marks the best model of each task.',
      `Models (docs/models.md has their options and papers): ${MODELS.list()
        .map((m) => m.name)
        .join(
          ', ',
        )}. A model that cannot run on the task set (ESMM without a click → conversion funnel) is left out with one line saying why.`,
      TUNE_HOOK_DETAILS,
      'JSON shape: {"dataset", "taskSet", "backend", "results": [{"model", "seed", "epochs", "trainSeconds", ' +
        '"trainSamplesPerSec", "tasks": {"<task>": {"auc", "logloss"}}, "curves", "diagnostics", ...}], ...}.',
    ],
    examples: [
      'compare --report out/report.html',
      'compare --dataset census-income --task-set ektm --data-dir ../shared/data --models mmoe,ple,ektm --seeds 0,1,2',
      'compare --models ektm,ektm-no-router,ektm-uniform,ektm-identity-transmitter,ektm-no-enhancer --json ablations.json',
      'compare --models mmoe,ple,ektm --tune-trials 20 --report out/report.html',
      'compare --models mmoe,ektm --config mmoe=out/tune/mmoe/best.json,ektm=out/tune/ektm/best.json',
    ],
  },
  async run(argv, io) {
    const args = parseCommand(this.spec, argv);
    if (args.help) return printHelp(this.spec, io);
    const v = args.values;
    const name = this.spec.name;
    const models = nameListOption(name, 'models', v.models, MODELS.names()) ?? [...COMPARE_DEFAULTS.models];
    const options = {
      dataset: (v.dataset as string | undefined) ?? COMPARE_DEFAULTS.dataset,
      dataDir: v['data-dir'] !== undefined ? resolve(io.cwd, v['data-dir'] as string) : undefined,
      taskSet: v['task-set'] as string | undefined,
      // The main job's size: the default dataset is simulated with fewer rows unless --max-rows says otherwise.
      maxRows:
        intOption(name, 'max-rows', v['max-rows'], { min: 1 }) ??
        (v.dataset === undefined ? COMPARE_DEFAULTS.syntheticTrainRows : undefined),
      models,
      seeds: intListOption(name, 'seeds', v.seeds) ?? [...COMPARE_DEFAULTS.seeds],
      epochs: intOption(name, 'epochs', v.epochs, { min: 1 }) ?? COMPARE_DEFAULTS.epochs,
      batchSize: intOption(name, 'batch-size', v['batch-size'], { min: 1 }) ?? COMPARE_DEFAULTS.batchSize,
      learningRate:
        numberOption(name, 'learning-rate', v['learning-rate'], { min: 0, exclusiveMin: true }) ?? COMPARE_DEFAULTS.learningRate,
      patience: intOption(name, 'patience', v.patience, { min: 1 }) ?? COMPARE_DEFAULTS.patience,
      validationsPerEpoch:
        intOption(name, 'validations-per-epoch', v['validations-per-epoch'], { min: 1 }) ?? COMPARE_DEFAULTS.validationsPerEpoch,
      embeddingL2: numberOption(name, 'embedding-l2', v['embedding-l2'], { min: 0 }) ?? COMPARE_DEFAULTS.embeddingL2,
      embeddingDim: intOption(name, 'embedding-dim', v['embedding-dim'], { min: 1 }) ?? COMPARE_DEFAULTS.embeddingDim,
    };
    const datasetArg = datasetArgument(options.dataset, io.cwd);
    const quiet = v.quiet === true;
    const log = quiet ? undefined : (line: string) => io.stderr.write(`${line}\n`);
    const tuned = await tuneHook(v, { ...options, dataset: datasetArg }, argv, io, log);
    const result = await runComparison({
      ...options,
      dataset: datasetArg,
      log,
      ...tuned,
    });
    io.stdout.write(formatComparisonTable(result, { color: io.color }));
    const command = `ektm compare ${argv.join(' ')}`.trim();
    if (typeof v.json === 'string') {
      const path = resolve(io.cwd, v.json);
      writeFileAtomic(path, `${JSON.stringify(result, null, 2)}\n`);
      io.stderr.write(`wrote ${path}\n`);
    }
    if (typeof v.markdown === 'string') {
      const path = resolve(io.cwd, v.markdown);
      writeFileAtomic(path, formatComparisonMarkdown(result));
      io.stderr.write(`wrote ${path}\n`);
    }
    if (typeof v.report === 'string') {
      const path = resolve(io.cwd, v.report);
      writeFileAtomic(path, renderReport(result, { command }));
      io.stderr.write(`wrote ${path}\n`);
    }
    return 0;
  },
};
