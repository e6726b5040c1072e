import { ConfigError } from '@ektm/core';

/**
 * What successive halving spends on a trial: `epochs` of training (reproducible: a trial's result depends only on its
 * configuration, its seed and its epochs) or `time`, seconds of training (equal compute for models whose epochs cost
 * differently, but the result then depends on the machine's speed and load).
 */
export type BudgetKind = 'epochs' | 'time';

/** How much each trial may train, and how successive halving narrows the trials down. */
export interface TuneBudget {
  /** The resource: epochs or seconds of training. */
  readonly kind: BudgetKind;
  /** The most one trial gets (the last rung): epochs, or seconds. */
  readonly max: number;
  /** What every trial gets in the first rung. Default 1 epoch, or `max / eta²` seconds. Equal to `max`: plain random search. */
  readonly min: number;
  /** Each rung keeps the best `1 / eta` of the trials of the rung before, and gives them `eta` times the resource. Default 3. */
  readonly eta: number;
}

/** One rung of successive halving: how many trials train, and with how much. */
export interface Rung {
  /** Index from 0. */
  readonly rung: number;
  /** Epochs (or seconds) each trial of the rung trains, from scratch. */
  readonly resource: number;
  /** Trials in the rung: every trial in rung 0, then the best `1 / eta` of the rung before (at least one). */
  readonly size: number;
}

/** The default budget: 9 epochs at most, rungs of 1, 3 and 9 epochs. */
export const DEFAULT_TUNE_BUDGET: TuneBudget = { kind: 'epochs', max: 9, min: 1, eta: 3 };

/** Seconds of a duration such as `90s`, `10m`, `1.5h` or `600` (seconds); undefined when it is not one. */
export function parseDuration(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(s|m|h)?\s*$/.exec(text);
  if (!match) return undefined;
  const seconds = Number(match[1]) * { s: 1, m: 60, h: 3600 }[(match[2] ?? 's') as 's' | 'm' | 'h'];
  return seconds > 0 ? seconds : undefined;
}

/** A duration for people: `45 s`, `12m 05s`, `2h 03m`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return 'unknown';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/**
 * Parses `--budget`: `epochs=9` (at most 9 epochs a trial) or `time=10m` (at most 10 minutes of training a trial), or
 * just `epochs` / `time` with `fallbackMax` (epochs) / 10 minutes. `min` and `eta` default as documented on
 * {@link TuneBudget}.
 *
 * @throws ConfigError (key `budget`, `min-budget` or `eta`) naming the value and what is allowed.
 */
export function parseBudget(text: string, options: { fallbackEpochs?: number; min?: string; eta?: number } = {}): TuneBudget {
  const [kind, value, ...rest] = text.trim().split('=');
  if ((kind !== 'epochs' && kind !== 'time') || rest.length > 0) {
    throw new ConfigError(
      `budget ${JSON.stringify(text)} is not allowed; use epochs=<n> (e.g. epochs=9) or time=<duration> (e.g. time=10m)`,
      'budget',
    );
  }
  const eta = options.eta ?? DEFAULT_TUNE_BUDGET.eta;
  if (!Number.isInteger(eta) || eta < 2) throw new ConfigError(`eta ${eta} is not allowed; use an integer >= 2`, 'eta');
  const amount = (raw: string, what: string, key: string): number => {
    const n = kind === 'epochs' ? Number(raw) : parseDuration(raw);
    const ok = n !== undefined && (kind === 'epochs' ? Number.isInteger(n) && n >= 1 : n > 0);
    if (!ok) {
      throw new ConfigError(
        `${what} ${JSON.stringify(raw)} is not allowed; use ${kind === 'epochs' ? 'a whole number of epochs >= 1' : 'a duration such as 90s, 10m or 1.5h'}`,
        key,
      );
    }
    return n!;
  };
  const max =
    value !== undefined ? amount(value, 'budget', 'budget') : kind === 'epochs' ? (options.fallbackEpochs ?? DEFAULT_TUNE_BUDGET.max) : 600;
  const min = options.min !== undefined ? amount(options.min, 'min-budget', 'min-budget') : kind === 'epochs' ? 1 : max / (eta * eta);
  if (min > max)
    throw new ConfigError(`min-budget ${options.min} is more than the budget ${value ?? max}; it must be at most the budget`, 'min-budget');
  return { kind, max, min, eta };
}

/** `epochs=9 (rungs 1, 3, 9 epochs; eta 3)`, for logs and help. */
export function formatBudget(budget: TuneBudget, trials?: number): string {
  const unit = (r: number) => (budget.kind === 'epochs' ? `${r}` : formatDuration(r));
  const rungs = successiveHalvingRungs(budget, trials ?? budget.eta ** 4);
  const max = budget.kind === 'epochs' ? `epochs=${budget.max}` : `time=${formatDuration(budget.max)}`;
  return `${max} (rungs ${rungs.map((r) => unit(r.resource)).join(', ')}${budget.kind === 'epochs' ? ' epochs' : ''}; eta ${budget.eta})`;
}

/**
 * The rungs of successive halving for `trials` trials: `K = ⌊log_eta(max / min)⌋ + 1` rungs whose resources grow by
 * `eta` up to `max` (`max / eta^(K-1-k)`, whole epochs), rung 0 holding every trial and each next rung the best
 * `⌊n / eta⌋` (at least one) of the rung before. Trials train from scratch in every rung, so that a trial's result is
 * what `ektm train` gives with the same configuration, seed and epochs.
 */
export function successiveHalvingRungs(budget: TuneBudget, trials: number): Rung[] {
  const count = Math.floor(Math.log(budget.max / budget.min) / Math.log(budget.eta) + 1e-9) + 1;
  const rungs: Rung[] = [];
  let size = trials;
  for (let k = 0; k < count; k++) {
    const exact = budget.max / budget.eta ** (count - 1 - k);
    const resource = budget.kind === 'epochs' ? Math.max(budget.min, Math.round(exact)) : exact;
    if (rungs.length > 0 && resource <= rungs[rungs.length - 1]!.resource) continue;
    rungs.push({ rung: rungs.length, resource, size });
    size = Math.max(1, Math.floor(size / budget.eta));
  }
  return rungs;
}

/**
 * The budget of a smoke run (`EKTM_QUICK=1`): one rung of one epoch, whatever was asked, so that a documented search
 * runs in seconds; its numbers mean nothing.
 */
export function quickBudget(budget: TuneBudget): TuneBudget {
  return { kind: 'epochs', max: 1, min: 1, eta: budget.eta };
}
