import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from '../cli/command.js';
import { printHelp } from '../cli/format-help.js';
import { parseCommand } from '../cli/parse-command.js';
import { intListOption, intOption, nameListOption, numberOption } from '../cli/option-values.js';
import { formatComparisonMarkdown, formatComparisonTable } from '../compare/format-table.js';
import type { CompareResult } from '../compare/compare-result.js';
import { partialResult } from '../compare/partial-result.js';
import { NOT_PROTOCOL_OPTIONS, runComparison } from '../compare/run-comparison.js';
import { comparisonKey, RunStore, runsFileFor } from '../compare/run-store.js';
import { UsageError } from '../cli/usage-error.js';
import { interruptOnSigint } from '../util/interrupt.js';
import { checkOutputFile } from '../util/output-paths.js';
import { QUICK_LIMITS, quickCap, quickMode } from '../util/quick-mode.js';
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
  /** Models when `--models` is not given. */
  readonly models: readonly string[];
  /** Seeds when `--seeds` is not given. */
  readonly seeds: readonly number[];
}

/**
 * Defaults of `ektm compare`, which `npm start` runs: the main models, two seeds, on `simulated-shop` (sparse
 * conversions in training, a test split large enough to tell models apart). Training runs to convergence: up to 20
 * epochs, validated 4 times an epoch so that early stopping acts inside the first epoch (sparse targets overfit
 * from the second), patience 4 validations, best weights restored.
 */
export const COMPARE_DEFAULTS: CompareDefaults = {
  dataset: 'simulated-shop',
  models: MODELS.mainNames(),
  seeds: [0, 1],
  epochs: 20,
  batchSize: 1024,
  learningRate: 3e-3,
  patience: 4,
  validationsPerEpoch: 4,
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
      ...datasetOptions(COMPARE_DEFAULTS.dataset),
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
      {
        name: 'resume',
        type: 'boolean',
        description: 'continue an interrupted comparison: train only the runs missing from its runs file, then write every output',
      },
      { name: 'quiet', short: 'q', type: 'boolean', description: 'no progress lines on stderr' },
      ...TUNE_HOOK_OPTIONS,
    ],
    details: [
      'Protocol, the same for every run: build the model with the seed, train with Adam on the train split, ' +
        'evaluate the validation split --validations-per-epoch times an epoch and stop early when the mean validation ' +
        "AUC of the dataset's target tasks has not improved for --patience validations, restore the best weights, then " +
        'score the test split once. The table shows, per task, the test AUC mean ± sample sd over seeds, the ' +
        'mean log loss and the training time; * marks the best model of each task.',
      `Models (docs/models.md has their options and papers): ${MODELS.list()
        .map((m) => m.name)
        .join(
          ', ',
        )}. A model that cannot run on the task set (ESMM without a click → conversion funnel) is left out with one line saying why.`,
      TUNE_HOOK_DETAILS,
      'Every finished run is written as it ends to a runs file beside the first output (--json out/compare.json → ' +
        'out/compare.runs.jsonl). After Ctrl-C or a failure, the table, the JSON and the report are written from the runs ' +
        'that finished, and the same command with --resume trains only the missing runs, then writes every output once.',
      'JSON shape: {"dataset", "taskSet", "backend", "results": [{"model", "seed", "epochs", "trainSeconds", ' +
        '"trainSamplesPerSec", "tasks": {"<task>": {"auc", "logloss"}}, "curves", "diagnostics", ...}], ...}.',
    ],
    examples: [
      'compare --report out/report.html',
      'compare --dataset census-income --task-set ektm --data-dir ../shared/data --models mmoe,ple,ektm --seeds 0,1,2',
      'compare --models ektm,ektm-no-router,ektm-uniform,ektm-identity-transmitter,ektm-no-enhancer --json out/ablations.json',
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
    const quick = quickMode(io, name);
    const options = {
      dataset: (v.dataset as string | undefined) ?? COMPARE_DEFAULTS.dataset,
      dataDir: v['data-dir'] !== undefined ? resolve(io.cwd, v['data-dir'] as string) : undefined,
      taskSet: v['task-set'] as string | undefined,
      maxRows: quickCap(quick, intOption(name, 'max-rows', v['max-rows'], { min: 1 }), QUICK_LIMITS.rows),
      // A smoke run simulates small validation and test splits too (--max-rows caps only the simulated training rows).
      simulator: quick ? { validationRows: QUICK_LIMITS.rows, testRows: QUICK_LIMITS.rows } : undefined,
      models,
      seeds: (intListOption(name, 'seeds', v.seeds) ?? [...COMPARE_DEFAULTS.seeds]).slice(0, quick ? QUICK_LIMITS.seeds : undefined),
      epochs: quickCap(quick, intOption(name, 'epochs', v.epochs, { min: 1 }) ?? COMPARE_DEFAULTS.epochs, QUICK_LIMITS.epochs)!,
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
    const say = (line: string) => (quiet ? undefined : io.stderr.write(`${line}\n`));
    const log = quiet ? undefined : (line: string) => io.stderr.write(`${line}\n`);
    const outputs = {
      json: typeof v.json === 'string' ? resolve(io.cwd, v.json) : undefined,
      markdown: typeof v.markdown === 'string' ? resolve(io.cwd, v.markdown) : undefined,
      report: typeof v.report === 'string' ? resolve(io.cwd, v.report) : undefined,
    };
    // Every file the comparison will write is checked before the first run, not after the last.
    for (const [flag, path] of Object.entries(outputs)) if (path) checkOutputFile(path, flag);
    const runsPath = runsFileFor([outputs.json, outputs.report, outputs.markdown]);
    const runsFlag = outputs.json ? 'json' : outputs.report ? 'report' : 'markdown';
    const resume = v.resume === true;
    if (resume && !runsPath) {
      throw new UsageError(`ektm ${name}: --resume needs the outputs of the comparison it resumes (--json, --report or --markdown)`, name);
    }
    // --config and --tune-trials give models their own settings (tuning first, resumable in --tune-dir); they are part of the runs file's key.
    const tuned = await tuneHook(v, { ...options, dataset: datasetArg }, argv, io, log);
    let store: RunStore | undefined;
    if (runsPath) {
      checkOutputFile(runsPath, runsFlag);
      const key = comparisonKey({ ...options, dataset: datasetArg, ...tuned }, NOT_PROTOCOL_OPTIONS);
      store = RunStore.open(runsPath, key, resume);
      if (!resume && existsSync(runsPath))
        say(`starting over: ${runsPath} (runs of an earlier comparison) will be replaced; --resume continues it instead`);
    }
    const command = `ektm compare ${argv.join(' ')}`.trim();
    const write = (result: CompareResult) => {
      io.stdout.write(formatComparisonTable(result, { color: io.color }));
      if (outputs.json) {
        writeFileAtomic(outputs.json, `${JSON.stringify(result, null, 2)}\n`);
        io.stderr.write(`wrote ${outputs.json}\n`);
      }
      if (outputs.markdown) {
        writeFileAtomic(outputs.markdown, formatComparisonMarkdown(result));
        io.stderr.write(`wrote ${outputs.markdown}\n`);
      }
      if (outputs.report) {
        writeFileAtomic(outputs.report, renderReport(result, { command }));
        io.stderr.write(`wrote ${outputs.report}\n`);
      }
    };
    const interrupt = interruptOnSigint(io, name);
    try {
      const result = await runComparison({
        ...options,
        dataset: datasetArg,
        log,
        ...tuned,
        finished: store?.finished,
        onRun: store ? (run) => store.append(run) : undefined,
        signal: interrupt.signal,
      });
      write(result);
    } catch (error) {
      // The table, the JSON and the report are built from the runs that finished, and the runs file keeps them.
      const partial = partialResult(error);
      if (partial && partial.results.length > 0) {
        write(partial);
        io.stderr.write(
          `${partial.results.length} of ${partial.results.length + (partial.missingRuns?.length ?? 0)} runs finished${store ? ` and are kept in ${store.path}` : ''}; ` +
            `${store ? 'rerun the same command with --resume to train the missing ones' : 'give --json to keep finished runs for --resume'}\n`,
        );
      }
      throw error;
    } finally {
      interrupt.dispose();
    }
    return 0;
  },
};
