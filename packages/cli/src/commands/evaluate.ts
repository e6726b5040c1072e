import { resolve } from 'node:path';
import { evaluate, initEngine, loadModel } from '@ektm/core';
import { loadDataset } from '@ektm/datasets';
import type { Command } from '../cli/command.js';
import { printHelp } from '../cli/format-help.js';
import { parseCommand } from '../cli/parse-command.js';
import { intOption } from '../cli/option-values.js';
import { formatMetricsTable } from '../util/metrics-table.js';
import { QUICK_LIMITS, quickCap, quickMode } from '../util/quick-mode.js';
import { datasetArgument, datasetOptions } from './shared-options.js';
import { ConfigError, DataError } from '@ektm/core';

/** `ektm evaluate`: exact per-task metrics of a saved model on a dataset's test split. */
export const evaluateCommand: Command = {
  spec: {
    name: 'evaluate',
    summary: "per-task metrics (AUC, GAUC, logloss, calibration) of a saved model on a dataset's test split",
    usage: 'evaluate --model <dir> --dataset <name|spec.json> [--data-dir <dir>] [--task-set <name>] [--split test] [--json]',
    options: [
      { name: 'model', type: 'string', valueName: '<dir>', description: 'folder of a model saved by `ektm train`', required: true },
      ...datasetOptions(),
      {
        name: 'split',
        type: 'string',
        valueName: '<name>',
        description: 'split to score',
        choices: ['test', 'validation', 'train'],
        defaultText: 'test',
      },
      { name: 'json', type: 'boolean', description: 'print JSON instead of a table' },
    ],
    details: [
      "Each task is scored in its own sample space (a CVR task only on rows whose parent's label is 1). The " +
        'dataset is encoded with the preprocessing saved beside the model; loading it with other options than ' +
        'at training (another task set, --max-rows) is an error, since the vocabularies would differ.',
    ],
    examples: ['evaluate --model out/models/ektm --dataset synthetic'],
  },
  async run(argv, io) {
    const args = parseCommand(this.spec, argv);
    if (args.help) return printHelp(this.spec, io);
    const v = args.values;
    // A quick run caps rows as `ektm train` does, so that a model trained quickly is evaluated on the same encoding.
    const maxRows = quickCap(
      quickMode(io, this.spec.name),
      intOption(this.spec.name, 'max-rows', v['max-rows'], { min: 1 }),
      QUICK_LIMITS.rows,
    );
    await initEngine({ quiet: true });
    const saved = await loadModel(resolve(io.cwd, v.model as string));
    try {
      const dataset = await loadDataset(datasetArgument(v.dataset as string, io.cwd), {
        dataDir: v['data-dir'] !== undefined ? resolve(io.cwd, v['data-dir'] as string) : undefined,
        taskSet: v['task-set'] as string | undefined,
        maxRowsPerFile: maxRows,
        simulator: maxRows !== undefined ? { trainRows: maxRows } : undefined,
      });
      if (saved.preprocessing !== undefined && JSON.stringify(saved.preprocessing) !== JSON.stringify(dataset.preprocessor.toJSON())) {
        throw new ConfigError(
          `the dataset encodes rows differently from the model's saved preprocessing (another dataset, task set or --max-rows than at training?); evaluate with the same dataset options as \`ektm train\``,
        );
      }
      for (const warning of dataset.warnings) io.stderr.write(`warning: ${warning}\n`);
      const split = (v.split as 'test' | 'validation' | 'train' | undefined) ?? 'test';
      const table = dataset.splits[split];
      if (!table) throw new DataError(`dataset "${dataset.name}" has no ${split} split`);
      const metrics = evaluate(saved.model, table);
      if (v.json)
        io.stdout.write(
          `${JSON.stringify({ dataset: dataset.name, taskSet: dataset.taskSet, split, rows: table.rows, tasks: metrics }, null, 2)}\n`,
        );
      else io.stdout.write(`${dataset.name} (${dataset.taskSet}), ${split} split, ${table.rows} rows\n${formatMetricsTable(metrics)}`);
      return 0;
    } finally {
      saved.model.dispose();
    }
  },
};
