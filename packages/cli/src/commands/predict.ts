import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { initEngine, loadModel } from '@ektm/core';
import { Preprocessor } from '@ektm/datasets';
import type { Command } from '../cli/command.js';
import type { CliIo } from '../cli/io.js';
import { printHelp } from '../cli/format-help.js';
import { parseCommand } from '../cli/parse-command.js';
import { csvLine, parseCsv } from '../util/csv.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { ConfigError } from '@ektm/core';

async function readAll(input: AsyncIterable<string | Uint8Array> | undefined): Promise<string> {
  if (!input) return '';
  const decoder = new TextDecoder();
  let text = '';
  for await (const chunk of input) text += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
  return text + decoder.decode();
}

/** Reads the CSV input: a file, or standard input. */
async function readInput(path: string | undefined, io: CliIo): Promise<string> {
  if (path !== undefined && path !== '-') return readFileSync(resolve(io.cwd, path), 'utf8');
  return readAll(io.stdin);
}

/** `ektm predict`: per-task probabilities for raw rows, with the preprocessing saved beside the model. */
export const predictCommand: Command = {
  spec: {
    name: 'predict',
    summary: 'per-task probabilities for raw CSV rows (stdin to stdout when no files are given)',
    usage: 'predict --model <dir> [--input <rows.csv>] [--output <probabilities.csv>]',
    options: [
      { name: 'model', type: 'string', valueName: '<dir>', description: 'folder of a model saved by `ektm train`', required: true },
      {
        name: 'input',
        short: 'i',
        type: 'string',
        valueName: '<file>',
        description: "CSV with a header naming the dataset's raw columns; - is stdin",
        defaultText: 'stdin',
      },
      {
        name: 'output',
        short: 'o',
        type: 'string',
        valueName: '<file>',
        description: 'CSV with one probability column per task; - is stdout',
        defaultText: 'stdout',
      },
    ],
    details: [
      'The input holds raw values, as in the training files (labels may be left out); they are encoded with the ' +
        'vocabularies and statistics saved with the model. The output has one row per input row and one column ' +
        "per task, in the order of the model's tasks.",
    ],
    examples: ['predict --model models/ektm --input rows.csv --output scores.csv', 'predict --model models/ektm < rows.csv'],
  },
  async run(argv, io) {
    const args = parseCommand(this.spec, argv);
    if (args.help) return printHelp(this.spec, io);
    const v = args.values;
    const input = await readInput(v.input as string | undefined, io);
    const { rows } = parseCsv(input);
    await initEngine({ quiet: true });
    const saved = await loadModel(resolve(io.cwd, v.model as string));
    try {
      if (saved.preprocessing === undefined) {
        throw new ConfigError(
          `model ${v.model as string} was saved without preprocessing, so raw rows cannot be encoded; save it with \`ektm train\` or saveModel(model, dir, { preprocessing })`,
        );
      }
      const preprocessor = Preprocessor.fromJSON(saved.preprocessing);
      const table = preprocessor.encodeRows(rows);
      const { tasks } = saved.model.predict(table);
      const names = Object.keys(tasks);
      let csv = csvLine(names);
      for (let r = 0; r < table.rows; r++) csv += csvLine(names.map((n) => Number(tasks[n]![r]!.toPrecision(6))));
      const output = v.output as string | undefined;
      if (output === undefined || output === '-') io.stdout.write(csv);
      else {
        writeFileAtomic(resolve(io.cwd, output), csv);
        io.stderr.write(`wrote ${table.rows} rows × ${names.length} tasks to ${resolve(io.cwd, output)}\n`);
      }
      return 0;
    } finally {
      saved.model.dispose();
    }
  },
};
