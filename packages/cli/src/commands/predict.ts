import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { initEngine, loadModel } from '@ektm/core';
import { Preprocessor } from '@ektm/datasets';
import type { Command } from '../cli/command.js';
import type { CliIo } from '../cli/io.js';
import { printHelp } from '../cli/format-help.js';
import { parseCommand } from '../cli/parse-command.js';
import { parseCsv } from '../util/csv.js';
import { openScoreWriter } from '../data/score-writer.js';
import { predictFiles, streamsInput } from '../data/predict-files.js';
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
    summary: 'per-task probabilities for raw rows: CSV, or Parquet/JSON shards streamed (stdin to stdout when no files are given)',
    usage: 'predict --model <dir> [--input <rows.csv|shards/*.parquet>] [--output <probabilities.csv|.parquet>]',
    options: [
      { name: 'model', type: 'string', valueName: '<dir>', description: 'folder of a model saved by `ektm train`', required: true },
      {
        name: 'input',
        short: 'i',
        type: 'string',
        valueName: '<file>',
        description: "CSV with a header naming the dataset's raw columns, or Parquet/JSON files or a glob of shards; - is stdin",
        defaultText: 'stdin',
      },
      {
        name: 'output',
        short: 'o',
        type: 'string',
        valueName: '<file>',
        description: 'one probability column per task: CSV, or Parquet when the name ends in .parquet; - is stdout',
        defaultText: 'stdout',
      },
    ],
    details: [
      'The input holds raw values, as in the training files (labels may be left out); they are encoded with the ' +
        'vocabularies and statistics saved with the model. The output has one row per input row and one column ' +
        "per task, in the order of the model's tasks. Parquet and JSON inputs, and glob patterns of shards such as " +
        "'shards/*.parquet' (quoted), are read through DuckDB (npm install @duckdb/node-api) and streamed in and out, " +
        'so they may be far larger than memory.',
    ],
    examples: [
      'predict --model models/ektm --input rows.csv --output scores.csv',
      'predict --model models/ektm < rows.csv',
      "predict --model models/ektm --input 'shards/*.parquet' --output scores.parquet",
    ],
  },
  async run(argv, io) {
    const args = parseCommand(this.spec, argv);
    if (args.help) return printHelp(this.spec, io);
    const v = args.values;
    const streamed = streamsInput(v.input as string | undefined);
    const input = streamed ? '' : await readInput(v.input as string | undefined, io);
    const { rows } = streamed ? { rows: [] } : parseCsv(input);
    await initEngine({ quiet: true });
    const saved = await loadModel(resolve(io.cwd, v.model as string));
    try {
      if (saved.preprocessing === undefined) {
        throw new ConfigError(
          `model ${v.model as string} was saved without preprocessing, so raw rows cannot be encoded; save it with \`ektm train\` or saveModel(model, dir, { preprocessing })`,
        );
      }
      const preprocessor = Preprocessor.fromJSON(saved.preprocessing);
      const output = v.output as string | undefined;
      const writer = openScoreWriter(output === undefined || output === '-' ? undefined : resolve(io.cwd, output), io.stdout);
      try {
        if (streamed) await predictFiles(saved.model, preprocessor, v.input as string, io.cwd, writer);
        else {
          const table = preprocessor.encodeRows(rows);
          writer.write(saved.model.predict(table).tasks, table.rows);
        }
        await writer.finish();
      } catch (error) {
        writer.abort();
        throw error;
      }
      if (output !== undefined && output !== '-') {
        io.stderr.write(`wrote ${writer.rows} rows × ${saved.model.taskNames.length} tasks to ${resolve(io.cwd, output)}\n`);
      }
      return 0;
    } finally {
      saved.model.dispose();
    }
  },
};
