import type { CommandSpec } from './command-spec.js';
import type { CliIo } from './io.js';

/** A command of the `ektm` CLI: its spec (flags, help) and what it does with the arguments after its name. */
export interface Command {
  /** Flags, usage and help text. */
  spec: CommandSpec;
  /**
   * Runs the command; resolves to the exit code (0 ok). Throws a `UsageError` for a bad call (exit 2) and
   * any other error for a failure (exit 1).
   */
  run(argv: readonly string[], io: CliIo): Promise<number>;
}
