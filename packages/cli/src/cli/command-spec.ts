/** One flag of a command, as shown in its `--help` and accepted by its parser. */
export interface OptionSpec {
  /** Long name without the dashes (`data-dir`). */
  name: string;
  /** `string` takes a value (`--epochs 3`, `--epochs=3`); `boolean` is a switch. */
  type: 'string' | 'boolean';
  /** One-letter alias (`o` for `-o`). */
  short?: string;
  /** Placeholder in the help (`<dir>`). Default `<value>` for string options. */
  valueName?: string;
  /** One line for the help. */
  description: string;
  /** Default shown in the help (the command applies it). */
  defaultText?: string;
  /** When given, the only values accepted; an error lists them. */
  choices?: readonly string[];
  /** Required: a missing value is a usage error naming the flag. */
  required?: boolean;
}

/** A command: its name, what it does, its flags and positional arguments, and examples for the help. */
export interface CommandSpec {
  /** Words after `ektm` (`train`, `datasets list`). */
  name: string;
  /** One line: what the command does. */
  summary: string;
  /** Usage line after `ektm`, e.g. `train --dataset <name|spec.json> --model <name> --out <dir> [options]`. */
  usage: string;
  /** Flags (`--help` is added to every command). */
  options: OptionSpec[];
  /** Paragraphs printed after the flags (protocol, output format). */
  details?: string[];
  /** Example invocations, without the leading `ektm`. */
  examples?: string[];
}

/** The `--help` flag every command accepts. */
export const HELP_OPTION: OptionSpec = { name: 'help', short: 'h', type: 'boolean', description: 'show this help and exit' };
