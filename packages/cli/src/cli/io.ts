/** Something text can be written to (process.stdout, a test buffer). */
export interface TextSink {
  /** Writes a chunk of text as is (no newline added). */
  write(chunk: string): unknown;
}

/**
 * Everything a command touches outside its arguments, so that tests run the CLI in-process with buffers
 * and a fake environment instead of spawning it.
 */
export interface CliIo {
  /** Results (tables, CSV, JSON). */
  stdout: TextSink;
  /** Progress, warnings and errors. */
  stderr: TextSink;
  /** Standard input, read by `predict` when no `--input` is given. Default: none (an empty input). */
  stdin?: AsyncIterable<string | Uint8Array>;
  /** Environment variables (`EKTM_DEBUG`, `NO_COLOR`, ...). */
  env: Readonly<Record<string, string | undefined>>;
  /** Directory relative paths resolve against. */
  cwd: string;
  /** Whether stdout is a terminal (enables colour and bold). Default false. */
  color?: boolean;
  /**
   * Stops long commands (compare, train) as Ctrl-C does: they finish the current step, keep what they finished and
   * exit with code 130. Default: none (the commands then listen for SIGINT themselves).
   */
  signal?: AbortSignal;
}

/** An io that captures everything written, for tests and for embedding the CLI in another tool. */
export interface CapturedIo extends CliIo {
  /** Everything written to stdout so far. */
  readonly out: () => string;
  /** Everything written to stderr so far. */
  readonly err: () => string;
}

/**
 * Builds a {@link CapturedIo}: stdout and stderr go to strings, stdin is the given text.
 *
 * @param options.stdin text on standard input. Default: empty.
 * @param options.env environment. Default: `{}`.
 * @param options.cwd working directory. Default: `process.cwd()`.
 * @param options.signal stops long commands as Ctrl-C does. Default: none.
 */
export function captureIo(
  options: { stdin?: string; env?: Record<string, string | undefined>; cwd?: string; signal?: AbortSignal } = {},
): CapturedIo {
  let out = '';
  let err = '';
  const stdinText = options.stdin;
  return {
    stdout: { write: (chunk: string) => (out += chunk) },
    stderr: { write: (chunk: string) => (err += chunk) },
    stdin:
      stdinText === undefined
        ? undefined
        : (async function* () {
            yield stdinText;
          })(),
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    color: false,
    ...(options.signal ? { signal: options.signal } : {}),
    out: () => out,
    err: () => err,
  };
}

/** The io of the real process. */
export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
  };
}
