import type { PredictionServer } from './prediction-server.js';

/** Options of {@link runUntilStopped}. */
export interface RunUntilStoppedOptions {
  /** Receives a line per signal handled. Default: none. */
  log?: (line: string) => void;
  /** The process whose signals are handled. Default: the current one. */
  process?: NodeJS.Process;
}

/**
 * Serves until SIGTERM or SIGINT, then drains (every request in flight is answered) and resolves to the exit
 * code: 0 when the drain finished, 1 when it timed out. SIGHUP reloads the model folder without downtime (a failed
 * reload keeps the old version). The handlers are removed when it resolves.
 */
export function runUntilStopped(server: PredictionServer, options: RunUntilStoppedOptions = {}): Promise<number> {
  const proc = options.process ?? process;
  const log = options.log ?? (() => undefined);
  return new Promise((resolve) => {
    const reload = () => {
      log('SIGHUP: reloading the model');
      server.reload().catch(() => undefined); // the server logs the failure and keeps the old version
    };
    const stop = (signal: NodeJS.Signals) => {
      proc.off('SIGTERM', stop);
      proc.off('SIGINT', stop);
      log(`${signal}: draining ${server.requestsInFlight} request(s) in flight`);
      server.stop().then(
        ({ drained }) => {
          proc.off('SIGHUP', reload);
          log(drained ? 'stopped: every request was answered' : 'stopped: the drain timed out, connections were closed');
          resolve(drained ? 0 : 1);
        },
        (error: unknown) => {
          proc.off('SIGHUP', reload);
          log(`stop failed: ${(error as Error)?.message ?? String(error)}`);
          resolve(1);
        },
      );
    };
    proc.on('SIGTERM', stop);
    proc.on('SIGINT', stop);
    proc.on('SIGHUP', reload);
  });
}
