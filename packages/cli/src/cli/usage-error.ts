/**
 * A mistake in how the command was called (unknown flag, missing or malformed value). `run` prints its
 * message with a hint to `--help` and exits with code 2, so scripts can tell "you called it wrong" from
 * "it failed" (exit 1).
 */
export class UsageError extends Error {
  /** The command whose `--help` the hint points to (`train`, `compare`, ...); undefined for the top level. */
  readonly command: string | undefined;

  constructor(message: string, command?: string) {
    super(message);
    this.name = 'UsageError';
    this.command = command;
  }
}
