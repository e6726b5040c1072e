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
import { MEMORY_BUDGET_OPTION, parseMemoryBudget } from '../data/memory-budget.js';
import { ConfigError } from '@ektm/core';
import { loadDataset } from '@ektm/datasets';
import { TestPredictionFiles } from '../compare/test-predictions.js';
import type { TrainRowsPoint } from '../compare/compare-result.js';

/**
 * `--train-rows 5000,20000,80000`: training sizes, each a whole number ≥ 1, listed once; returned smallest first.
 * A ConfigError names the flag and the value at fault.
 */
export function trainRowsOption(value: unknown): number[] | undefined {
  if (value === undefined) return undefined;
  const text = Array.isArray(value) ? value.map(String).join(',') : typeof value === 'string' ? value : JSON.stringify(value);
  const sizes: number[] = [];
  for (const part of text.split(',').map((s) => s.trim())) {
    const n = Number(part.replace(/_/g, ''));
    if (part === '' || !Number.isInteger(n) || n < 1) {
      throw new ConfigError(
        `--train-rows ${JSON.stringify(text)}: ${JSON.stringify(part)} is not a whole number of rows ≥ 1; give training sizes such as 5000,20000,80000`,
        'train-rows',
      );
    }
    if (sizes.includes(n)) throw new ConfigError(`--train-rows ${JSON.stringify(text)}: ${n} is listed twice`, 'train-rows');
    sizes.push(n);
  }
  return sizes.sort((a, b) => a - b);
}

/** `out/compare.runs.jsonl` → `out/compare.rows-5000.runs.jsonl`: the runs of one training size. */
function runsFileOfSize(runsPath: string, size: number): string {
  return runsPath.replace(/\.runs\.jsonl$/, `.rows-${size}.runs.jsonl`);
}

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
 * Defaults of `ektm compare`, which `npm start` runs: the main models, one seed, on `simulated-shop` (sparse
 * conversions in training, a test split large enough to tell models apart; one seed keeps the job under 5 minutes on
 * 2 cores, and its intervals are DeLong's test-set intervals: give --seeds 0,1,2 to add the seed-to-seed variance). Training runs to convergence: up to 20
 * epochs, validated 4 times an epoch so that early stopping acts inside the first epoch (sparse targets overfit
 * from the second), patience 4 validations, best weights restored.
 */
export const COMPARE_DEFAULTS: CompareDefaults = {
  dataset: 'simulated-shop',
  models: MODELS.mainNames(),
  seeds: [0],
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
      {
        name: 'train-rows',
        type: 'string',
        valueName: '<n,n,...>',
        description:
          'data-efficiency curve: train every model on each of these training sizes (nested prefixes of one seeded shuffle of the training split) and plot test AUC against training positives',
        defaultText: 'every training row, once',
      },
      { name: 'json', type: 'string', valueName: '<file>', description: 'write the results as JSON (written atomically)' },
      {
        name: 'report',
        type: 'string',
        valueName: '<file>',
        description: 'write a self-contained HTML report with charts (written atomically)',
      },
      { name: 'markdown', type: 'string', valueName: '<file>', description: 'write the table as Markdown (written atomically)' },
      MEMORY_BUDGET_OPTION,
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
        'mean log loss and the training time.',
      'Statistics (docs/statistics.md): every run keeps its test predictions; every model is compared with single-task and ' +
        'with the best baseline by validation (the non-EKTM model with the best mean validation monitor) on each target task ' +
        "(DeLong's paired test, seeds combined: DeLong variance of the seed-averaged components plus the between-seed variance) " +
        'and on the mean of the targets. The table prints each delta with ± its 95% CI half-width; † marks a Holm-adjusted ' +
        'p < 0.05 (family: every comparison with the same reference); * marks a model best only when it is significantly ' +
        'above the runner-up (p < 0.05). On simulated data a second table gives the share of the gap between single-task and ' +
        'the true probabilities closed. The test positives of each task are printed with it.',
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
        '"trainSamplesPerSec", "tasks": {"<task>": {"auc", "logloss"}}, "curves", "diagnostics", ...}], ' +
        '"comparisons": [{"task", "model", "reference", "referenceRole", "deltaAuc", "ci95": [lo, hi], "se", "p", "pHolm", "method", "seeds"}], ' +
        '"statistics": {"alpha", "markUses", "holmFamily", "references", "testSpace": {"<task>": {"rows", "positives"}}, "leaders", "gapClosed", "notes"}, ' +
        'with --train-rows "trainRowsCurve": [{"trainRows", "trainPositives", "points": [{"model", "task", "auc", "ci95"}], "comparisons"}], ...}.',
    ],
    examples: [
      'compare --report out/report.html',
      'compare --dataset census-income --task-set ektm --data-dir ../shared/data --models mmoe,ple,ektm --seeds 0,1,2',
      'compare --models ektm,ektm-no-router,ektm-uniform,ektm-identity-transmitter,ektm-no-enhancer --json out/ablations.json',
      'compare --models mmoe,ple,ektm --tune-trials 20 --report out/report.html',
      'compare --models mmoe,ektm --config mmoe=out/tune/mmoe/best.json,ektm=out/tune/ektm/best.json',
      'compare --models single-task,mmoe,ektm --train-rows 5000,10000,20000 --json out/curve.json --report out/curve.html',
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
      memoryBudget: parseMemoryBudget(name, v['memory-budget']),
    };
    const trainRows = trainRowsOption(v['train-rows']);
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
    const storeOf = (path: string | undefined, trainRowsKey?: number): RunStore | undefined => {
      if (!path) return undefined;
      checkOutputFile(path, runsFlag);
      const key = comparisonKey({ ...options, dataset: datasetArg, ...tuned, trainRows: trainRowsKey }, NOT_PROTOCOL_OPTIONS);
      const opened = RunStore.open(path, key, resume);
      if (!resume && existsSync(path))
        say(`starting over: ${path} (runs of an earlier comparison) will be replaced; --resume continues it instead`);
      return opened;
    };
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
    // With --train-rows: one comparison a size (its own runs file), on the dataset loaded once; the largest size's
    // comparison is the result, and every size's point is its trainRowsCurve.
    const sizes: Array<number | undefined> = trainRows ?? [undefined];
    const curve: TrainRowsPoint[] = [];
    let store: RunStore | undefined;
    try {
      const loaded = trainRows
        ? await loadDataset(datasetArg, {
            dataDir: options.dataDir,
            taskSet: options.taskSet,
            maxRowsPerFile: options.maxRows,
            simulator:
              options.maxRows !== undefined || options.simulator !== undefined
                ? { ...options.simulator, ...(options.maxRows !== undefined ? { trainRows: options.maxRows } : {}) }
                : undefined,
          })
        : undefined;
      // A quick run (EKTM_QUICK=1) scales the sizes down so that the largest is the training split it read.
      if (quick && loaded && trainRows && trainRows[trainRows.length - 1]! > loaded.splits.train.rows) {
        const factor = loaded.splits.train.rows / trainRows[trainRows.length - 1]!;
        const scaled = [...new Set(trainRows.map((n) => Math.max(1, Math.floor(n * factor))))];
        say(`quick run: training sizes ${trainRows.join(',')} scaled to ${scaled.join(',')}`);
        trainRows.splice(0, trainRows.length, ...scaled);
        sizes.splice(0, sizes.length, ...scaled);
      }
      const largest = trainRows?.[trainRows.length - 1];
      if (loaded && largest !== undefined && largest > loaded.splits.train.rows) {
        throw new ConfigError(
          `--train-rows ${trainRows!.join(',')}: ${largest} rows asked for, but the training split of ${loaded.name} has only ${loaded.splits.train.rows}; give sizes up to ${loaded.splits.train.rows}${options.maxRows !== undefined ? ' (or raise --max-rows)' : ''}`,
          'train-rows',
        );
      }
      // Every runs file is opened (and a --resume checked) before the first run.
      const stores = sizes.map((size) => storeOf(size === undefined ? runsPath : runsPath && runsFileOfSize(runsPath, size), size));
      let result: CompareResult | undefined;
      for (const [i, size] of sizes.entries()) {
        store = stores[i];
        if (size !== undefined) say(`training size ${size} (${i + 1} of ${sizes.length})`);
        result = await runComparison({
          ...options,
          dataset: datasetArg,
          trainRows: size,
          loaded,
          log,
          ...tuned,
          finished: store?.finished,
          onRun: store ? (run) => store!.append(run) : undefined,
          predictionsDir: store ? TestPredictionFiles.beside(store.path) : undefined,
          signal: interrupt.signal,
        });
        curve.push(...(result.trainRowsCurve ?? []));
      }
      write(trainRows ? { ...result!, trainRowsCurve: curve } : result!);
    } catch (error) {
      // The table, the JSON and the report are built from the runs that finished, and the runs file keeps them.
      const partial = partialResult(error);
      if (partial && partial.results.length > 0) {
        write(trainRows ? { ...partial, trainRowsCurve: [...curve, ...(partial.trainRowsCurve ?? [])] } : partial);
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
