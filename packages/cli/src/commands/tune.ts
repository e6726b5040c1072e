import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, InterruptedError, isEktmError, validateSearchSpace, type SearchSpace } from '@ektm/core';
import type { Command } from '../cli/command.js';
import { printHelp } from '../cli/format-help.js';
import { parseCommand } from '../cli/parse-command.js';
import { intOption, numberOption } from '../cli/option-values.js';
import { MODELS } from '../models/models.js';
import { formatTuneResult } from '../tune/format-tune.js';
import { DEFAULT_TUNE_PROTOCOL, runTune } from '../tune/run-tune.js';
import { DEFAULT_TUNE_BUDGET, parseBudget, quickBudget } from '../tune/tune-budget.js';
import { QUICK_LIMITS, quickCap, quickMode } from '../util/quick-mode.js';
import { stopOnSignals } from '../tune/stop-on-signals.js';
import { datasetArgument, datasetOptions, trainingOptions } from './shared-options.js';

/**
 * Reads a search space file (`--space`) and checks it against the model.
 *
 * @throws ConfigError naming the file, and the key at fault.
 */
function readSearchSpace(path: string, model: string): SearchSpace {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(
      `cannot read the search space ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
      'space',
      path,
      {
        cause: error,
      },
    );
  }
  let space: unknown;
  try {
    space = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${path}: not JSON (${(error as Error).message})`, 'space', path, { cause: error });
  }
  try {
    validateSearchSpace(space as SearchSpace, MODELS.optionSchema(model), path);
  } catch (error) {
    if (isEktmError(error, 'config')) throw new ConfigError(error.message, (error as ConfigError).key, path, { cause: error });
    throw error;
  }
  return space as SearchSpace;
}

/** `ektm tune`: a seeded, resumable search of one model's hyperparameters on the validation split. */
export const tuneCommand: Command = {
  spec: {
    name: 'tune',
    summary: "search a model's hyperparameters on the validation split (seeded, successive halving, resumable)",
    usage: 'tune --dataset <name|spec.json> --model <name> --trials <n> [--seed S] [--out DIR] [--workers W] [--budget epochs=9|time=10m]',
    options: [
      ...datasetOptions(),
      {
        name: 'model',
        type: 'string',
        valueName: '<name>',
        description: 'model to tune (docs/models.md lists them)',
        required: true,
        choices: MODELS.names(),
      },
      {
        name: 'trials',
        type: 'string',
        valueName: '<n>',
        description: 'configurations to draw and train in the first rung',
        required: true,
      },
      {
        name: 'seed',
        type: 'string',
        valueName: '<n>',
        description: "seed of the configurations and of every trial's training",
        defaultText: '0',
      },
      {
        name: 'out',
        short: 'o',
        type: 'string',
        valueName: '<dir>',
        description: 'folder of the search: trials.jsonl, best.json, summary.json',
        defaultText: 'out/tune/<model>',
      },
      {
        name: 'workers',
        type: 'string',
        valueName: '<n>',
        description: 'trials trained at once, each in its own process (at most the cores)',
        defaultText: '1, in this process',
      },
      {
        name: 'budget',
        type: 'string',
        valueName: '<epochs=n|time=d>',
        description: 'the most a trial trains: epochs=9, or time=10m of training (equal compute, but not reproducible)',
        defaultText: `epochs=${DEFAULT_TUNE_BUDGET.max}`,
      },
      {
        name: 'min-budget',
        type: 'string',
        valueName: '<n|d>',
        description: 'what every trial gets in the first rung (= --budget: plain random search)',
        defaultText: '1 epoch, or budget/eta²',
      },
      {
        name: 'eta',
        type: 'string',
        valueName: '<n>',
        description: 'each rung keeps the best 1/eta of the trials and trains them eta times longer',
        defaultText: String(DEFAULT_TUNE_BUDGET.eta),
      },
      {
        name: 'space',
        type: 'string',
        valueName: '<file.json>',
        description: "a search space replacing the model's (same format as the registry's)",
      },
      ...trainingOptions({ ...DEFAULT_TUNE_PROTOCOL, epochs: DEFAULT_TUNE_BUDGET.max })
        .filter((o) => o.name !== 'epochs')
        .map((o) => ({
          ...o,
          description: `${o.description}, unless the space varies it`,
        })),
      { name: 'json', type: 'boolean', description: 'print the summary as JSON on stdout (as DIR/summary.json holds it)' },
      { name: 'quiet', short: 'q', type: 'boolean', description: 'no progress lines on stderr' },
    ],
    details: [
      "Trials draw their configurations from the model's search space (docs/models.md) with --seed: trial i's values depend only on the seed and i. " +
        'Successive halving trains every trial for the first rung (1 epoch), keeps the best 1/eta, trains those from scratch eta times longer, ' +
        'and so on up to --budget; each run stops early when the mean validation AUC of the target tasks (the monitor of ektm compare) ' +
        'has not improved for --patience validations. The winner is the best run of the last rung. The test split is never loaded.',
      'Every finished run is appended to DIR/trials.jsonl at once (one JSON line, flushed). SIGINT stops cleanly; running the same command ' +
        'again resumes, keeps every recorded run, reruns the ones that were cut off, and ends with the same runs as an uninterrupted search ' +
        '(with an epochs budget, whatever --workers). A trials.jsonl of another search (dataset, model, space, seed, protocol) is refused.',
      'DIR/best.json is the winner as a configuration for `ektm train --config` and `ektm compare --config <model>=<file>`; docs/tuning.md explains it all.',
    ],
    examples: [
      'tune --dataset packages/datasets/specs/simulated-shop.json --model mmoe --trials 27 --seed 1 --out out/tune/mmoe --workers 2',
      'tune --dataset census-income --data-dir ../shared/data --task-set ektm --model ektm --trials 20 --budget epochs=9',
      'tune --dataset synthetic --max-rows 20000 --model ple --trials 8 --budget time=2m --json',
    ],
  },
  async run(argv, io) {
    const args = parseCommand(this.spec, argv);
    if (args.help) return printHelp(this.spec, io);
    const v = args.values;
    const name = this.spec.name;
    const model = v.model as string;
    const quick = quickMode(io, name);
    const trials = quickCap(quick, intOption(name, 'trials', v.trials, { min: 1 }), QUICK_LIMITS.tuneTrials)!;
    const seed = intOption(name, 'seed', v.seed, { min: 0 }) ?? 0;
    const workers = intOption(name, 'workers', v.workers, { min: 1 }) ?? 1;
    const asked = parseBudget((v.budget as string | undefined) ?? `epochs=${DEFAULT_TUNE_BUDGET.max}`, {
      min: v['min-budget'] as string | undefined,
      eta: intOption(name, 'eta', v.eta, { min: 2 }),
    });
    const budget = quick ? quickBudget(asked) : asked;
    const space = typeof v.space === 'string' ? readSearchSpace(resolve(io.cwd, v.space), model) : undefined;
    const protocol = {
      batchSize: intOption(name, 'batch-size', v['batch-size'], { min: 1 }) ?? DEFAULT_TUNE_PROTOCOL.batchSize,
      learningRate:
        numberOption(name, 'learning-rate', v['learning-rate'], { min: 0, exclusiveMin: true }) ?? DEFAULT_TUNE_PROTOCOL.learningRate,
      patience: intOption(name, 'patience', v.patience, { min: 1 }) ?? DEFAULT_TUNE_PROTOCOL.patience,
      validationsPerEpoch:
        intOption(name, 'validations-per-epoch', v['validations-per-epoch'], { min: 1 }) ?? DEFAULT_TUNE_PROTOCOL.validationsPerEpoch,
      embeddingL2: numberOption(name, 'embedding-l2', v['embedding-l2'], { min: 0 }) ?? DEFAULT_TUNE_PROTOCOL.embeddingL2,
      embeddingDim: intOption(name, 'embedding-dim', v['embedding-dim'], { min: 1 }) ?? DEFAULT_TUNE_PROTOCOL.embeddingDim,
    };
    const outDir = resolve(io.cwd, (v.out as string | undefined) ?? `out/tune/${model}`);
    const quiet = v.quiet === true;
    const say = (line: string) => (quiet ? undefined : io.stderr.write(`${line}\n`));
    const controller = new AbortController();
    const removeHandlers = stopOnSignals(controller, (line) => io.stderr.write(`${line}\n`));
    try {
      const maxRows = quickCap(quick, intOption(name, 'max-rows', v['max-rows'], { min: 1 }), QUICK_LIMITS.rows);
      const result = await runTune({
        source: {
          dataset: datasetArgument(v.dataset as string, io.cwd),
          dataDir: v['data-dir'] !== undefined ? resolve(io.cwd, v['data-dir'] as string) : undefined,
          taskSet: v['task-set'] as string | undefined,
          maxRows,
        },
        model,
        trials,
        seed,
        outDir,
        workers,
        budget,
        space,
        protocol,
        log: say,
        signal: controller.signal,
      });
      io.stdout.write(v.json === true ? `${JSON.stringify(result, null, 2)}\n` : formatTuneResult(result));
      return 0;
    } catch (error) {
      if (isEktmError(error, 'interrupted')) {
        throw new InterruptedError(
          // The command prefixes its name to the message; runTune's own `tune: ` would repeat it.
          `${error.message.replace(/^tune: /, '').replace(/ Run the same command again to resume\.$/, '')} Resume with: ektm tune ${argv.join(' ')}`,
          {
            cause: error,
          },
        );
      }
      throw error;
    } finally {
      removeHandlers();
    }
  },
};
