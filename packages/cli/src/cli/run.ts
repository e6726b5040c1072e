import { isEktmError } from '@ektm/core';
import type { Command } from './command.js';
import { formatHelp } from './format-help.js';
import { processIo, type CliIo } from './io.js';
import { UsageError } from './usage-error.js';
import { COMMANDS } from '../commands/commands.js';
import { CLI_VERSION } from '../version.js';

/** Exit codes of the `ektm` command: one per kind of `EktmError`, so that a script can tell what went wrong. */
export const EXIT = {
  /** Success. */
  ok: 0,
  /** Any other failure (the environment, a bug): the message says what failed. */
  failure: 1,
  /** The command was called wrongly (unknown flag, bad value, missing argument). */
  usage: 2,
  /** A wrong option or setting (`ConfigError`): the same code as a usage error, since both are the caller's to fix. */
  config: 2,
  /** Bad input data (`DataError`, e.g. a malformed row): the message names the file, line and field. */
  data: 3,
  /** A saved model or checkpoint that cannot be used (`ModelFileError`): the message names the file. */
  modelFile: 4,
  /** Training diverged (`TrainingDivergedError`: a NaN or infinite loss or weight). */
  diverged: 5,
  /** Stopped on request (`InterruptedError`, SIGINT); 128 + SIGINT's number, as shells report it. */
  interrupted: 130,
} as const;

/** The one-line summary of {@link EXIT} printed by `ektm --help` and in docs/cli.md. */
export const EXIT_CODES_SUMMARY =
  'Exit codes: 0 ok, 1 other failure, 2 usage or config error, 3 data error, 4 model-file error, 5 training diverged, 130 interrupted.';

/** The exit code for an error a command threw: by its `EktmError` kind, else {@link EXIT.failure}. */
export function exitCodeFor(error: unknown): number {
  if (error instanceof UsageError) return EXIT.usage;
  if (isEktmError(error, 'config')) return EXIT.config;
  if (isEktmError(error, 'data')) return EXIT.data;
  if (isEktmError(error, 'model-file')) return EXIT.modelFile;
  if (isEktmError(error, 'training')) return EXIT.diverged;
  if (isEktmError(error, 'interrupted')) return EXIT.interrupted;
  return EXIT.failure;
}

/** The top-level `ektm --help`. */
export function topLevelHelp(commands: readonly Command[] = COMMANDS): string {
  const width = Math.max(...commands.map((c) => c.spec.name.length)) + 2;
  return [
    'Usage: ektm <command> [options]',
    '',
    'Multi-task recommendation models (EKTM and its baselines) on TensorFlow.js.',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.spec.name.padEnd(width)}${c.spec.summary}`),
    '',
    'Run `ektm <command> --help` for the flags of a command.',
    EXIT_CODES_SUMMARY,
    'Environment: EKTM_BACKEND forces a backend (tensorflow-gpu, tensorflow, wasm, cpu); EKTM_QUIET=1 silences',
    'the backend line; EKTM_DEBUG=1 prints stacks on errors.',
    '',
  ].join('\n');
}

/** A command found in argv, and the arguments after its name. */
export interface FoundCommand {
  /** The command. */
  command: Command;
  /** The arguments after the command's name. */
  rest: string[];
}

/** The help of a command group such as `ektm datasets --help`: its subcommands. */
export function groupHelp(group: string, commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.spec.name.length)) + 2;
  return [
    `Usage: ektm ${group} <subcommand> [options]`,
    '',
    'Subcommands:',
    ...commands.map((c) => `  ${c.spec.name.padEnd(width)}${c.spec.summary}`),
    '',
    `Run \`ektm ${group} <subcommand> --help\` for its flags.`,
    '',
  ].join('\n');
}

/** Finds the command named by the first one or two words of argv (`train`, `datasets list`). */
export function findCommand(argv: readonly string[], commands: readonly Command[] = COMMANDS): FoundCommand | undefined {
  for (const words of [2, 1]) {
    const name = argv.slice(0, words).join(' ');
    const command = commands.find((c) => c.spec.name === name);
    if (command) return { command, rest: argv.slice(words) };
  }
  return undefined;
}

/**
 * Runs the `ektm` command line in-process and resolves to its exit code (see {@link EXIT}: 0 ok, 1 other failure,
 * 2 usage or config error, 3 data error, 4 model-file error, 5 training diverged, 130 interrupted).
 * Never throws and never calls `process.exit`, so tests and other tools can call it.
 *
 * ```ts
 * const io = captureIo();
 * const code = await run(['datasets', 'list'], io);
 * ```
 */
export async function run(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const debug = io.env.EKTM_DEBUG === '1';
  let commandName: string | undefined;
  try {
    if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
      const topic = argv[0] === 'help' && argv.length > 1 ? findCommand(argv.slice(1)) : undefined;
      io.stdout.write(topic ? formatHelp(topic.command.spec) : topLevelHelp());
      return argv.length === 0 ? EXIT.usage : EXIT.ok;
    }
    if (argv[0] === '--version' || argv[0] === '-v') {
      io.stdout.write(`${CLI_VERSION}\n`);
      return EXIT.ok;
    }
    const found = findCommand(argv);
    if (!found) {
      const group = COMMANDS.filter((c) => c.spec.name.startsWith(`${argv[0]} `));
      if (group.length && (argv[1] === '--help' || argv[1] === '-h')) {
        io.stdout.write(groupHelp(argv[0]!, group));
        return EXIT.ok;
      }
      if (group.length) {
        throw new UsageError(
          `ektm ${argv[0]}: ${argv[1] === undefined ? 'a subcommand is required' : `unknown subcommand ${JSON.stringify(argv[1])}`}; use one of ${group.map((c) => c.spec.name.split(' ')[1]).join(', ')}`,
        );
      }
      throw new UsageError(
        `unknown command ${JSON.stringify(argv[0])}; commands are ${COMMANDS.map((c) => c.spec.name)
          .filter((n) => !n.includes(' '))
          .concat('datasets')
          .filter((n, i, a) => a.indexOf(n) === i)
          .join(', ')}`,
      );
    }
    commandName = found.command.spec.name;
    return await found.command.run(found.rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      const command = error.command ?? commandName;
      io.stderr.write(`error: ${error.message}\nRun \`ektm ${command ? `${command} ` : ''}--help\` for usage.\n`);
      return EXIT.usage;
    }
    const e = error as Error;
    if (isEktmError(error, 'interrupted')) {
      io.stderr.write(`${commandName ? `ektm ${commandName}: ` : ''}${e.message}\n`);
      return EXIT.interrupted;
    }
    io.stderr.write(`error: ${commandName ? `ektm ${commandName}: ` : ''}${e?.message ?? String(error)}\n`);
    if (debug && e?.stack) io.stderr.write(`${e.stack}\n`);
    else io.stderr.write('Set EKTM_DEBUG=1 to see the stack trace.\n');
    return exitCodeFor(error);
  }
}
