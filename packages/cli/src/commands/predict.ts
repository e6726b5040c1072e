import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, DataError, initEngine, loadModel } from '@ektm/core';
import { describeInputReport, Preprocessor } from '@ektm/datasets';
import type { Command } from '../cli/command.js';
import type { CliIo } from '../cli/io.js';
import { printHelp } from '../cli/format-help.js';
import { parseCommand } from '../cli/parse-command.js';
import { csvLine, parseCsv } from '../util/csv.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { checkOutputFile } from '../util/output-paths.js';

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
      {
        name: 'allow-missing',
        type: 'boolean',
        description: 'encode feature columns missing from the input as missing values (counted and reported) instead of failing',
      },
    ],
    details: [
      'The input holds raw values, as in the training files (labels may be left out); they are encoded with the ' +
        'vocabularies and statistics saved with the model. The output has one row per input row and one column ' +
        "per task, in the order of the model's tasks.",
      "The input is checked against the model's features first: a feature column missing from the header is an error " +
        'naming it (--allow-missing encodes it as missing values and says so); columns the model does not use, and the ' +
        'share of values never seen in training, are reported on stderr. Errors name the input line.',
    ],
    examples: [
      'predict --model out/models/ektm --input docs/examples/rows.csv --output out/scores.csv',
      'predict --model out/models/ektm < docs/examples/rows.csv',
    ],
  },
  async run(argv, io) {
    const args = parseCommand(this.spec, argv);
    if (args.help) return printHelp(this.spec, io);
    const v = args.values;
    const output = v.output as string | undefined;
    const outputPath = output === undefined || output === '-' ? undefined : resolve(io.cwd, output);
    if (outputPath) checkOutputFile(outputPath, 'output');
    const inputPath = v.input as string | undefined;
    const source = inputPath === undefined || inputPath === '-' ? 'stdin' : inputPath;
    const input = await readInput(inputPath, io);
    const { header, rows, lines } = parseCsv(input, source);
    await initEngine({ quiet: true });
    const saved = await loadModel(resolve(io.cwd, v.model as string));
    try {
      if (saved.preprocessing === undefined) {
        throw new ConfigError(
          `model ${v.model as string} was saved without preprocessing, so raw rows cannot be encoded; save it with \`ektm train\` or saveModel(model, dir, { preprocessing })`,
          'model',
        );
      }
      const preprocessor = Preprocessor.fromJSON(saved.preprocessing);
      let encoded: ReturnType<Preprocessor['encodeRowsWithReport']>;
      try {
        encoded = preprocessor.encodeRowsWithReport(rows, {
          source,
          lines,
          missingColumns: v['allow-missing'] === true ? 'allow' : 'error',
        });
      } catch (error) {
        // A file in another format read as CSV has one column named after its whole header line.
        const other = header.length === 1 ? [';', '\t', '|'].find((d) => header[0]!.includes(d)) : undefined;
        if (other && error instanceof DataError) {
          throw new DataError(
            `${error.message}. ${source} looks ${other === '\t' ? 'tab' : JSON.stringify(other)}-delimited; predict reads comma-separated CSV with a header line`,
            { file: source, line: 1 },
          );
        }
        throw error;
      }
      const { table, report } = encoded;
      for (const line of describeInputReport(report)) io.stderr.write(`predict: ${line}\n`);
      const { tasks } = saved.model.predict(table);
      const names = Object.keys(tasks);
      let csv = csvLine(names);
      for (let r = 0; r < table.rows; r++) csv += csvLine(names.map((n) => Number(tasks[n]![r]!.toPrecision(6))));
      if (outputPath === undefined) io.stdout.write(csv);
      else {
        writeFileAtomic(outputPath, csv);
        io.stderr.write(`wrote ${table.rows} rows × ${names.length} tasks to ${outputPath}\n`);
      }
      return 0;
    } finally {
      saved.model.dispose();
    }
  },
};
