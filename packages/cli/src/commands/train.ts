import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  CHECKPOINT_DIRECTORY,
  CHECKPOINT_JSON,
  checkNotCollapsed,
  ConfigError,
  initEngine,
  InterruptedError,
  saveModel,
  train,
} from '@ektm/core';
import { loadDataset } from '@ektm/datasets';
import type { Command } from '../cli/command.js';
import { printHelp } from '../cli/format-help.js';
import { parseCommand } from '../cli/parse-command.js';
import { intOption, numberOption } from '../cli/option-values.js';
import { targetMonitor, targetTasks } from '../compare/target-tasks.js';
import { MODELS } from '../models/models.js';
import { UsageError } from '../cli/usage-error.js';
import { readTunedConfig, runSettings } from '../tune/tuned-config.js';
import { formatMetricsTable } from '../util/metrics-table.js';
import type { TrainingHyperparameters } from '../util/training-hyperparameters.js';
import { eventLoopYielder, interruptOnSigint } from '../util/interrupt.js';
import { checkModelFolder, checkOutputFile } from '../util/output-paths.js';
import { QUICK_LIMITS, quickCap, quickMode } from '../util/quick-mode.js';
import { datasetArgument, datasetOptions, trainingOptions } from './shared-options.js';

/** The defaults of `ektm train`. */
export interface TrainDefaults extends TrainingHyperparameters {
  /** Seed of the initialisers and the shuffling. */
  readonly seed: number;
}

/** Defaults of `ektm train`. */
export const TRAIN_DEFAULTS: TrainDefaults = {
  epochs: 10,
  batchSize: 512,
  learningRate: 1e-3,
  patience: 2,
  validationsPerEpoch: 1,
  embeddingL2: 0,
  embeddingDim: 8,
  seed: 0,
};

/** `ektm train`: trains one model with progress, early stopping on validation and checkpoints, and saves it. */
export const trainCommand: Command = {
  spec: {
    name: 'train',
    summary: 'train one model on a dataset and save it (with its preprocessing) to a folder',
    usage: 'train --dataset <name|spec.json> (--model <name> | --config <best.json>) --out <dir> [options]',
    options: [
      ...datasetOptions(),
      {
        name: 'model',
        type: 'string',
        valueName: '<name>',
        description: 'model to train (docs/models.md lists them); required unless --config names one',
        choices: MODELS.names(),
      },
      {
        name: 'config',
        type: 'string',
        valueName: '<file.json>',
        description: "a model configuration, such as ektm tune's best.json (its model, training and model options; flags given win)",
      },
      { name: 'out', short: 'o', type: 'string', valueName: '<dir>', description: 'folder to save the trained model to', required: true },
      ...trainingOptions(TRAIN_DEFAULTS),
      { name: 'seed', type: 'string', valueName: '<n>', description: 'seed of the initialisers and the shuffling', defaultText: '0' },
      {
        name: 'checkpoint-dir',
        type: 'string',
        valueName: '<dir>',
        description: 'folder for per-epoch checkpoints',
        defaultText: '<out>.checkpoints',
      },
      {
        name: 'clip-norm',
        type: 'string',
        valueName: '<x>',
        description: 'clip the gradients to this global norm (helps a run that diverges)',
        defaultText: 'no clipping',
      },
      { name: 'resume', type: 'boolean', description: 'continue from the last checkpoint in --checkpoint-dir' },
      { name: 'force', type: 'boolean', description: 'replace a model already saved in --out' },
      { name: 'quiet', short: 'q', type: 'boolean', description: 'no progress on stderr' },
    ],
    details: [
      "Early stopping watches the mean validation AUC of the dataset's target tasks (conversion tasks, else every " +
        'task but the first); the best epoch is restored before saving. The saved folder holds model.json, the ' +
        'weights, ektm.json (tasks, features, losses) and the preprocessing, so `ektm evaluate` and ' +
        '`ektm predict` take raw rows.',
    ],
    examples: [
      'train --dataset synthetic --model ektm --out out/models/ektm',
      'train --dataset synthetic --config out/tune/mmoe/best.json --out out/models/mmoe-tuned',
      'train --dataset census-income --data-dir ../shared/data --task-set ektm --model mmoe --epochs 5 --out out/models/mmoe',
    ],
  },
  async run(argv, io) {
    const args = parseCommand(this.spec, argv);
    if (args.help) return printHelp(this.spec, io);
    const v = args.values;
    const name = this.spec.name;
    const config =
      typeof v.config === 'string' ? readTunedConfig(resolve(io.cwd, v.config), MODELS, v.model as string | undefined) : undefined;
    const modelName = (v.model as string | undefined) ?? config?.model;
    if (modelName === undefined)
      throw new UsageError('ektm train: --model <name> is required (or --config with a configuration that names one)', name);
    const out = resolve(io.cwd, v.out as string);
    const quick = quickMode(io, name);
    // The configuration's values, with the flags given on top.
    const {
      epochs: configuredEpochs,
      batchSize,
      learningRate,
      patience,
      embeddingDim,
      validationsPerEpoch,
      embeddingL2,
      minDelta,
      extraTraining,
      modelOptions,
    } = runSettings(TRAIN_DEFAULTS, config, {
      epochs: intOption(name, 'epochs', v.epochs, { min: 1 }),
      batchSize: intOption(name, 'batch-size', v['batch-size'], { min: 1 }),
      learningRate: numberOption(name, 'learning-rate', v['learning-rate'], { min: 0, exclusiveMin: true }),
      patience: intOption(name, 'patience', v.patience, { min: 1 }),
      embeddingDim: intOption(name, 'embedding-dim', v['embedding-dim'], { min: 1 }),
      validationsPerEpoch: intOption(name, 'validations-per-epoch', v['validations-per-epoch'], { min: 1 }),
      embeddingL2: numberOption(name, 'embedding-l2', v['embedding-l2'], { min: 0 }),
    });
    const epochs = quickCap(quick, configuredEpochs, QUICK_LIMITS.epochs)!;
    const seed = intOption(name, 'seed', v.seed, { min: 0 }) ?? TRAIN_DEFAULTS.seed;
    const clipNorm = numberOption(name, 'clip-norm', v['clip-norm'], { min: 0, exclusiveMin: true });
    const maxRows = quickCap(quick, intOption(name, 'max-rows', v['max-rows'], { min: 1 }), QUICK_LIMITS.rows);
    // saveModel wants its folder to itself, so checkpoints go beside it.
    const checkpointDir = resolve(io.cwd, (v['checkpoint-dir'] as string | undefined) ?? `${out}.checkpoints`);
    const quiet = v.quiet === true;
    const say = (line: string) => (quiet ? undefined : io.stderr.write(`${line}\n`));
    const resume = v.resume === true;
    // Every path the command writes is checked before the data is loaded, not after training.
    checkModelFolder(out, 'out', { force: v.force === true });
    checkOutputFile(join(checkpointDir, CHECKPOINT_DIRECTORY, CHECKPOINT_JSON), 'checkpoint-dir');
    if (resume && !existsSync(join(checkpointDir, CHECKPOINT_DIRECTORY, CHECKPOINT_JSON))) {
      throw new ConfigError(
        `--resume: there is no checkpoint in ${checkpointDir} to resume from; run without --resume to start training (or give the --checkpoint-dir of the interrupted run)`,
        'resume',
        checkpointDir,
      );
    }

    const engine = await initEngine({ quiet: true });
    const dataset = await loadDataset(datasetArgument(v.dataset as string, io.cwd), {
      dataDir: v['data-dir'] !== undefined ? resolve(io.cwd, v['data-dir'] as string) : undefined,
      taskSet: v['task-set'] as string | undefined,
      maxRowsPerFile: maxRows,
      simulator: maxRows !== undefined ? { trainRows: maxRows } : undefined,
    });
    const targets = targetTasks(dataset.tasks);
    for (const warning of dataset.warnings) io.stderr.write(`warning: ${warning}\n`);
    say(
      `${dataset.name} (${dataset.taskSet}): ${dataset.splits.train.rows} train / ${dataset.splits.validation.rows} validation rows; model ${modelName}; backend ${engine.backend}`,
    );
    const plan = MODELS.plan(modelName, dataset.tasks);
    if (!plan.ok) throw new ConfigError(`${modelName} cannot run on ${dataset.name} (${dataset.taskSet}): ${plan.reason}`, 'model');
    if (plan.note) say(plan.note);
    const model = MODELS.build(modelName, {
      features: dataset.features,
      tasks: dataset.tasks,
      seed,
      ...plan.options,
      ...modelOptions,
      embeddingDim,
    });
    const interrupt = interruptOnSigint(io, name);
    const yieldToEvents = eventLoopYielder();
    try {
      const history = await train(model, {
        ...extraTraining,
        train: dataset.splits.train,
        validation: dataset.splits.validation,
        epochs,
        batchSize,
        learningRate,
        seed,
        validateEvery: Math.max(1, Math.ceil(Math.ceil(dataset.splits.train.rows / batchSize) / validationsPerEpoch)),
        embeddingL2,
        earlyStopping: {
          monitor: targetMonitor(targets, model.taskNames),
          patience,
          ...(minDelta !== undefined ? { minDelta } : {}),
          restoreBestWeights: true,
        },
        ...(clipNorm !== undefined ? { clipNorm } : {}),
        checkpointDir,
        resume,
        progress: quiet ? 'none' : 'auto',
        progressStream: io.stderr,
        callbacks: {
          // Ctrl-C stops after the current step; the epoch's checkpoint is written, and --resume continues from it.
          onBatchEnd: async (_step, _logs, control) => {
            await yieldToEvents();
            if (interrupt.signal.aborted) control.stop();
          },
        },
      });
      const again = `rerun the same command with --resume to continue from the checkpoint in ${checkpointDir}`;
      if (interrupt.signal.aborted)
        throw new InterruptedError(`interrupted after epoch ${history.history.length}; the model was not saved; ${again}`);
      // A collapsed model (constant predictions, validation AUC 0.5) is an error, not a saved model.
      checkNotCollapsed(model, dataset.splits.validation, { learningRate });
      try {
        await saveModel(model, out, { preprocessing: dataset.preprocessor.toJSON() });
      } catch (error) {
        throw new ConfigError(
          `could not save the trained model to ${out}: ${(error as Error).message}. The trained weights are kept in ${checkpointDir}: ` +
            `make --out writable (or choose another --out) and ${again}; nothing is trained again`,
          'out',
          out,
        );
      }
      const bestEpoch = history.bestEpoch ?? history.history.length - 1;
      io.stdout.write(
        `trained ${modelName} for ${history.history.length} epochs (best epoch ${bestEpoch + 1}${history.stoppedEarly ? `, ${history.stopReason}` : ''}); saved to ${out}\n`,
      );
      const best = history.history.find((h) => h.epoch === bestEpoch);
      if (best?.validation) io.stdout.write(`validation metrics at the best epoch:\n${formatMetricsTable(best.validation)}`);
      return 0;
    } finally {
      interrupt.dispose();
      model.dispose();
    }
  },
};
