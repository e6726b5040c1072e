import { resolve } from 'node:path';
import { DEFAULT_DATA_DIR, describeDataset, downloadDataset, listDatasets } from '@ektm/datasets';
import type { Command } from '../cli/command.js';
import { printHelp } from '../cli/format-help.js';
import { parseCommand } from '../cli/parse-command.js';
import { UsageError } from '../cli/usage-error.js';
import { datasetArgument } from './shared-options.js';

const dataDirOption = {
  name: 'data-dir',
  type: 'string',
  valueName: '<dir>',
  description: 'folder the data files live in',
  defaultText: 'the download cache ($EKTM_DATA_DIR or ~/.cache/ektm/data)',
} as const;
const jsonOption = { name: 'json', type: 'boolean', description: 'print JSON instead of text' } as const;

/** `ektm datasets list`: the built-in datasets. */
export const datasetsListCommand: Command = {
  spec: {
    name: 'datasets list',
    summary: 'list the built-in datasets and their task sets',
    usage: 'datasets list [--json]',
    options: [jsonOption],
  },
  async run(argv, io) {
    const args = parseCommand(this.spec, argv);
    if (args.help) return printHelp(this.spec, io);
    const list = listDatasets();
    if (args.values.json) {
      io.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
      return 0;
    }
    const width = Math.max(...list.map((d) => d.name.length)) + 2;
    for (const d of list) {
      const sets = d.taskSets.map((s) => (s === d.defaultTaskSet ? `${s} (default)` : s)).join(', ');
      io.stdout.write(
        `${d.name.padEnd(width)}task sets: ${sets}${d.needsFiles ? '' : '; no files needed'}\n${' '.repeat(width)}${d.description}\n`,
      );
    }
    io.stdout.write(`\nData dir default: ${DEFAULT_DATA_DIR}\n`);
    return 0;
  },
};

/** `ektm datasets describe <name|spec.json>`: files, split, tasks and features, without reading the files. */
export const datasetsDescribeCommand: Command = {
  spec: {
    name: 'datasets describe',
    summary: "describe a dataset's files, split, task sets, tasks and features",
    usage: 'datasets describe <name|spec.json> [--data-dir <dir>] [--json]',
    options: [dataDirOption, jsonOption],
    examples: ['datasets describe census-income --data-dir ../shared/data'],
  },
  async run(argv, io) {
    const args = parseCommand(this.spec, argv, 1);
    if (args.help) return printHelp(this.spec, io);
    const name = args.positionals[0];
    if (!name)
      throw new UsageError(
        `ektm datasets describe: a dataset is required; built-ins are ${listDatasets()
          .map((d) => d.name)
          .join(', ')}`,
        this.spec.name,
      );
    const dataDir = args.values['data-dir'] !== undefined ? resolve(io.cwd, args.values['data-dir'] as string) : undefined;
    const d = describeDataset(datasetArgument(name, io.cwd), { dataDir });
    if (args.values.json) {
      io.stdout.write(`${JSON.stringify(d, null, 2)}\n`);
      return 0;
    }
    const lines = [`${d.name}${d.builtin ? ' (built-in)' : ''}: ${d.description ?? ''}`, `source: ${d.source}`];
    for (const [split, files] of Object.entries(d.files ?? {})) lines.push(`${split} files: ${(files ?? []).join(', ')}`);
    for (const [split, query] of Object.entries(d.queries ?? {})) lines.push(`${split} query: ${query}`);
    for (const [split, rule] of Object.entries(d.split)) lines.push(`${split} split: ${rule}`);
    if (d.group !== undefined) lines.push(`groups (GAUC): column ${d.group}`);
    for (const [setName, set] of Object.entries(d.taskSets)) {
      lines.push(
        '',
        `task set ${setName}${setName === d.defaultTaskSet ? ' (default)' : ''}${set.description ? `: ${set.description}` : ''}`,
      );
      for (const t of set.tasks) {
        const space = t.parent ? `, in the space where ${t.parent} = 1` : t.product ? ', entire space' : '';
        lines.push(`  task ${t.name}: ${t.rule}${space}`);
      }
      lines.push(
        `  features (${set.features.length}): ${set.features.map((f) => `${f.name ?? f.column}${f.type === 'numeric' ? ' (numeric)' : ''}`).join(', ')}`,
      );
    }
    io.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  },
};

/** `ektm datasets download <name>`: fetches a built-in dataset's files into the data dir, checking checksums. */
export const datasetsDownloadCommand: Command = {
  spec: {
    name: 'datasets download',
    summary: "download a built-in dataset's files into the data dir (checksums verified)",
    usage: 'datasets download <name> [--data-dir <dir>] [--force]',
    options: [dataDirOption, { name: 'force', type: 'boolean', description: 'download again even when the files are present' }],
  },
  async run(argv, io) {
    const args = parseCommand(this.spec, argv, 1);
    if (args.help) return printHelp(this.spec, io);
    const name = args.positionals[0];
    const names = listDatasets().map((d) => d.name);
    if (!name) throw new UsageError(`ektm datasets download: a dataset is required; built-ins are ${names.join(', ')}`, this.spec.name);
    if (!names.includes(name))
      throw new UsageError(
        `ektm datasets download: unknown dataset ${JSON.stringify(name)}; built-ins are ${names.join(', ')}`,
        this.spec.name,
      );
    const dataDir = args.values['data-dir'] !== undefined ? resolve(io.cwd, args.values['data-dir'] as string) : undefined;
    const result = await downloadDataset(name, { dataDir, force: args.values.force === true, log: (m) => io.stderr.write(`${m}\n`) });
    io.stdout.write(`${name}: ${result.files.length} file(s) in place, ${result.downloaded.length} downloaded\n`);
    for (const file of result.files) io.stdout.write(`  ${file}\n`);
    return 0;
  },
};
