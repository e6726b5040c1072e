import type { CliIo } from '../cli/io.js';

/** The environment variable that turns every command into a smoke run (the docs' commands run this way in the tests). */
const QUICK_ENV = 'EKTM_QUICK';

/** The caps of a quick run: rows read per file (and simulated training rows), epochs, seeds, timed bench steps, tuning trials. */
export const QUICK_LIMITS = { rows: 2000, epochs: 1, seeds: 1, benchSteps: 2, tuneTrials: 2 } as const;

/**
 * Whether `EKTM_QUICK=1` asks for a smoke run: commands keep their flags but read at most 2,000 rows per file, train
 * one epoch with the first seed, and `bench` times two steps. `train` and `evaluate` cap rows the same way, so a
 * model trained quickly evaluates quickly. A line on stderr says so, since the numbers of such a run mean nothing.
 */
export function quickMode(io: CliIo, command: string): boolean {
  if (!quickRequested(io)) return false;
  io.stderr.write(
    `ektm ${command}: ${QUICK_ENV}=1, a smoke run: at most ${QUICK_LIMITS.rows} rows per file, ${QUICK_LIMITS.epochs} epoch, ` +
      `${QUICK_LIMITS.seeds} seed, ${QUICK_LIMITS.benchSteps} bench steps; its numbers mean nothing\n`,
  );
  return true;
}

/** `value` capped at `limit` in a quick run; the cap itself when the value is unset (all rows) and the run is quick. */
export function quickCap(quick: boolean, value: number | undefined, limit: number): number | undefined {
  if (!quick) return value;
  return value === undefined ? limit : Math.min(value, limit);
}

/** Whether `EKTM_QUICK=1` is set, without announcing it (for a part of a command that {@link quickMode} announced). */
export function quickRequested(io: CliIo): boolean {
  return io.env[QUICK_ENV] === '1';
}
