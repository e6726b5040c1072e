import { parseArgs } from 'node:util';
import { HELP_OPTION, type CommandSpec, type OptionSpec } from './command-spec.js';
import { UsageError } from './usage-error.js';

/** Parsed flags (string or boolean by option type; absent when not given) and positional arguments. */
export interface ParsedCommand {
  /** Flag values keyed by long name. */
  values: Record<string, string | boolean | undefined>;
  /** Arguments that are not flags. */
  positionals: string[];
  /** Whether `--help` / `-h` was given. */
  help: boolean;
}

function flagList(options: readonly OptionSpec[]): string {
  return options.map((o) => `--${o.name}`).join(', ');
}

/**
 * Parses a command's arguments with `node:util` `parseArgs` (strict), and turns every parse error into a
 * {@link UsageError} that says which flag is wrong and what is allowed. `--help` short-circuits validation.
 *
 * @param maxPositionals how many positional arguments the command takes. Default 0.
 */
export function parseCommand(spec: CommandSpec, argv: readonly string[], maxPositionals = 0): ParsedCommand {
  const all = [...spec.options, HELP_OPTION];
  const config: Record<string, { type: 'string' | 'boolean'; short?: string }> = {};
  for (const o of all) config[o.name] = o.short ? { type: o.type, short: o.short } : { type: o.type };
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({ args: joinNegativeValues(argv, all), options: config, strict: true, allowPositionals: true }) as typeof parsed;
  } catch (error) {
    throw new UsageError(describeParseError(spec, all, error as Error & { code?: string }), spec.name);
  }
  const help = parsed.values.help === true;
  if (help) return { values: parsed.values, positionals: parsed.positionals, help };
  if (parsed.positionals.length > maxPositionals) {
    const extra = parsed.positionals.slice(maxPositionals);
    throw new UsageError(
      `ektm ${spec.name}: unexpected argument${extra.length > 1 ? 's' : ''} ${extra.map((a) => JSON.stringify(a)).join(' ')}; flags are ${flagList(all)}`,
      spec.name,
    );
  }
  for (const o of spec.options) {
    const value = parsed.values[o.name];
    if (o.required && (value === undefined || value === '')) {
      throw new UsageError(`ektm ${spec.name}: --${o.name} ${o.valueName ?? '<value>'} is required (${o.description})`, spec.name);
    }
    if (o.choices && typeof value === 'string' && !o.choices.includes(value)) {
      throw new UsageError(
        `ektm ${spec.name}: --${o.name} ${JSON.stringify(value)} is not allowed; use one of ${o.choices.join(', ')}`,
        spec.name,
      );
    }
  }
  return { values: parsed.values, positionals: parsed.positionals, help };
}

/**
 * `--learning-rate -1` as `--learning-rate=-1`: parseArgs takes a value that starts with a dash for a flag, so a negative
 * number would be reported as a missing value instead of reaching the option's own check ("use a number > 0").
 */
function joinNegativeValues(argv: readonly string[], options: readonly OptionSpec[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = argv[i + 1];
    const option = options.find((o) => arg === `--${o.name}` || (o.short !== undefined && arg === `-${o.short}`));
    if (option?.type === 'string' && next !== undefined && /^-(\d|\.\d|Infinity)/.test(next)) {
      out.push(`--${option.name}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

function describeParseError(spec: CommandSpec, all: readonly OptionSpec[], error: Error & { code?: string }): string {
  const message = error.message;
  // node's messages quote the flag as given ('--colour') or as configured ('-f, --fast').
  const quoted = /'([^']+)'/.exec(message)?.[1] ?? '';
  const longName = /--([\w-]+)/.exec(quoted)?.[1];
  const shortName = /^-(\w)$/.exec(quoted)?.[1];
  const option = all.find((o) => o.name === longName || (shortName !== undefined && o.short === shortName));
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    return `ektm ${spec.name}: unknown flag ${quoted || message}; allowed flags are ${flagList(all)}`;
  }
  if (error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) {
    if (option.type === 'boolean') return `ektm ${spec.name}: --${option.name} is a switch and takes no value`;
    return `ektm ${spec.name}: --${option.name} needs a value ${option.valueName ?? '<value>'} (${option.description})`;
  }
  return `ektm ${spec.name}: ${message}`;
}
