import { resolve } from 'node:path';
import { writeSimulatedDataset } from '@ektm/datasets';
import type { Command } from '../cli/command.js';
import { printHelp } from '../cli/format-help.js';
import { parseCommand } from '../cli/parse-command.js';
import { intOption } from '../cli/option-values.js';
import { QUICK_LIMITS, quickCap, quickMode } from '../util/quick-mode.js';

/** `ektm datasets simulate`: the simulator's splits written as CSV or Parquet files, with the truth and a spec. */
export const datasetsSimulateCommand: Command = {
  spec: {
    name: 'datasets simulate',
    summary: "write the simulator's splits as CSV or Parquet shards, with the true probabilities and a spec.json",
    usage: 'datasets simulate --out <dir> --train-rows <n> [--format parquet|csv] [--shards <k>] [options]',
    options: [
      { name: 'out', short: 'o', type: 'string', valueName: '<dir>', description: 'folder to write the files into', required: true },
      { name: 'train-rows', type: 'string', valueName: '<n>', description: 'training rows', required: true },
      {
        name: 'format',
        type: 'string',
        valueName: '<format>',
        description: 'file format (parquet needs npm install @duckdb/node-api)',
        choices: ['parquet', 'csv'],
        defaultText: 'parquet',
      },
      { name: 'shards', type: 'string', valueName: '<k>', description: 'files the train split is cut into', defaultText: '1' },
      {
        name: 'validation-rows',
        type: 'string',
        valueName: '<n>',
        description: 'validation rows',
        defaultText: 'train rows / 10, at least 10000',
      },
      { name: 'test-rows', type: 'string', valueName: '<n>', description: 'test rows', defaultText: 'train rows / 10, at least 10000' },
      { name: 'seed', type: 'string', valueName: '<n>', description: "the simulator's seed", defaultText: '1' },
    ],
    details: [
      'Writes train-<i>.<format> (the shards), validation.<format> and test.<format>; truth/ holds the same files with ' +
        'the true probability behind every label (click = P(click), each conversion type = P(conversion | its sample space: the click, or its parent conversion)), row ' +
        "by row; spec.json loads them with the built-in synthetic dataset's features and task sets (ektm, esmm), so " +
        '`--dataset <dir>/spec.json` trains on them. Rows are drawn and written in batches (memory does not grow with ' +
        'the rows); each file is written atomically, and a rerun with the same options keeps the files already written.',
    ],
    examples: [
      'datasets simulate --out out/sim --train-rows 2000000 --shards 8',
      'datasets simulate --out out/sim-csv --format csv --train-rows 2000000 --shards 8',
    ],
  },
  async run(argv, io) {
    const args = parseCommand(this.spec, argv);
    if (args.help) return printHelp(this.spec, io);
    const v = args.values;
    const name = this.spec.name;
    // A quick run (EKTM_QUICK=1) writes at most 2,000 rows per split, as the other commands read at most that many.
    const quick = quickMode(io, name);
    const rows = (option: string, fallback: number) =>
      quickCap(quick, intOption(name, option, v[option], { min: 1 }) ?? fallback, QUICK_LIMITS.rows)!;
    const trainRows = rows('train-rows', 1);
    const otherRows = quickCap(quick, Math.max(10_000, Math.round(trainRows / 10)), QUICK_LIMITS.rows)!;
    const out = resolve(io.cwd, v.out as string);
    const written = await writeSimulatedDataset(out, {
      format: (v.format as 'parquet' | 'csv' | undefined) ?? 'parquet',
      shards: intOption(name, 'shards', v.shards, { min: 1, max: trainRows }) ?? 1,
      simulator: {
        trainRows,
        validationRows: rows('validation-rows', otherRows),
        testRows: rows('test-rows', otherRows),
        seed: intOption(name, 'seed', v.seed, { min: 0 }) ?? 1,
      },
      log: (line) => io.stderr.write(`${line}\n`),
    });
    const { train, validation, test } = written.rows;
    io.stdout.write(
      `${train} train rows in ${written.files.train.length} file(s), ${validation} validation and ${test} test rows in ${out}` +
        `${written.kept ? ` (${written.kept} file(s) kept from an earlier run)` : ''}\nspec: ${written.spec}\n`,
    );
    return 0;
  },
};
