import type { CliIo } from '../cli/io.js';

/** A signal that a long command watches, and how to stop watching. */
export interface Interrupt {
  /** Aborted on the first Ctrl-C (SIGINT), or by the caller's own signal. */
  readonly signal: AbortSignal;
  /** Removes the SIGINT handler. */
  dispose(): void;
}

/**
 * Lets a long command stop cleanly on Ctrl-C: the first SIGINT aborts the signal (the command finishes its current
 * step, keeps what it finished and says how to resume); a second one exits at once with code 130. With `io.signal`
 * (tests, embedding tools) that signal is used and no handler is installed.
 */
export function interruptOnSigint(io: CliIo, command: string): Interrupt {
  if (io.signal) return { signal: io.signal, dispose: () => undefined };
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    io.stderr.write(`\nektm ${command}: stopping after the current step (press Ctrl-C again to stop at once)\n`);
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  return { signal: controller.signal, dispose: () => process.off('SIGINT', onSigint) };
}

/**
 * A function to await often inside a long synchronous-heavy loop (a training step is mostly synchronous): at most
 * every `intervalMs` it yields to the event loop once, so that a SIGINT handler (an event-loop callback) gets to run.
 */
export function eventLoopYielder(intervalMs = 50): () => Promise<void> | undefined {
  let last = Date.now();
  return () => {
    const now = Date.now();
    if (now - last < intervalMs) return undefined;
    last = now;
    return new Promise<void>((resolve) => setImmediate(resolve));
  };
}
