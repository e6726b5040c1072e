import { formatMetric } from '../metrics/format.js';
import type { EpochLogs, ValidationPoint } from './train-options.js';

/** How training reports progress: a redrawn bar, one line per epoch, or nothing; `auto` = bar on a TTY, else lines. */
export type ProgressMode = 'auto' | 'bar' | 'lines' | 'none';

/** Where progress is written (a subset of a Node stream; `isTTY` decides `auto`). */
export interface ProgressStream {
  /** Writes text. */
  write(text: string): unknown;
  /** Whether the stream is a terminal. */
  isTTY?: boolean;
}

/** Redraws the bar at most this often, so that printing never costs training time. */
const BAR_INTERVAL_MS = 100;
const BAR_WIDTH = 20;

/** `83` → `1:23`; `3725` → `1:02:05`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

function formatLosses(losses: Readonly<Record<string, number>>): string {
  return Object.entries(losses)
    .map(([name, v]) => `${name} ${v.toFixed(4)}`)
    .join(' ');
}

function formatRate(samplesPerSecond: number): string {
  return `${Math.round(samplesPerSecond).toLocaleString('en-US')} samples/s`;
}

/** One line summarising an epoch (what `lines` mode prints, and what the bar leaves behind). */
function formatEpochLine(logs: EpochLogs, epochs: number): string {
  const parts = [`epoch ${logs.epoch + 1}/${epochs}`, `loss ${formatLosses(logs.losses)}`];
  if (logs.validation) {
    const val = Object.values(logs.validation)
      .map((m) => `${m.task} auc ${formatMetric(m.auc)}${m.gauc !== undefined ? ` gauc ${formatMetric(m.gauc)}` : ''}`)
      .join(', ');
    parts.push(`val ${val}`);
  }
  if (logs.monitor) parts.push(`monitor ${logs.monitor.description}`);
  parts.push(`${logs.seconds.toFixed(1)}s`, formatRate(logs.samplesPerSecond));
  return parts.join(' | ');
}

/**
 * Prints training progress. In `bar` mode one line is redrawn with the epoch, the step, the latest loss of every
 * term, the throughput and the time left in the epoch; in `lines` mode one plain line per epoch (for logs and CI).
 */
export class ProgressReporter {
  private readonly mode: 'bar' | 'lines' | 'none';
  private lastDraw = 0;
  private drawn = false;
  /** The latest losses read back, shown until the next read. */
  private lastLosses: Readonly<Record<string, number>> | undefined;

  constructor(
    mode: ProgressMode,
    private readonly stream: ProgressStream | undefined,
    private readonly epochs: number,
  ) {
    const target = stream ?? (typeof process !== 'undefined' ? process.stderr : undefined);
    this.stream = target;
    if (!target || mode === 'none') this.mode = 'none';
    else if (mode === 'auto') this.mode = target.isTTY ? 'bar' : 'lines';
    else this.mode = mode;
  }

  /** The mode in effect (`auto` resolved). */
  get effectiveMode(): 'bar' | 'lines' | 'none' {
    return this.mode;
  }

  /** Marks the start of an epoch. */
  startEpoch(): void {
    this.lastLosses = undefined;
    this.drawn = false;
  }

  /**
   * After a step: redraws the bar (throttled). `rowsDone`/`rowsTotal` are this epoch's rows so far and in all
   * (undefined when a source does not know its size); `trainSeconds` the time spent in steps so far this epoch.
   */
  step(
    epoch: number,
    step: number,
    rowsDone: number,
    rowsTotal: number | undefined,
    trainSeconds: number,
    losses: Readonly<Record<string, number>> | undefined,
  ): void {
    if (this.mode !== 'bar') return;
    if (losses) this.lastLosses = losses;
    const now = Date.now();
    if (now - this.lastDraw < BAR_INTERVAL_MS && !(rowsTotal !== undefined && rowsDone >= rowsTotal)) return;
    this.lastDraw = now;
    const rate = trainSeconds > 0 ? rowsDone / trainSeconds : 0;
    const fraction = rowsTotal ? Math.min(1, rowsDone / rowsTotal) : undefined;
    const filled = fraction === undefined ? 0 : Math.round(fraction * BAR_WIDTH);
    const bar = fraction === undefined ? '' : `[${'='.repeat(filled)}${' '.repeat(BAR_WIDTH - filled)}] `;
    // Time left in the run: this epoch's remaining rows and every later epoch's, at the current rate.
    const rowsLeft = rowsTotal === undefined ? undefined : rowsTotal - rowsDone + (this.epochs - epoch - 1) * rowsTotal;
    const left = rowsLeft !== undefined && rate > 0 ? ` | ${formatDuration(rowsLeft / rate)} left` : '';
    const loss = this.lastLosses ? ` | ${formatLosses(this.lastLosses)}` : '';
    this.stream!.write(`\r\x1b[2Kepoch ${epoch + 1}/${this.epochs} ${bar}step ${step + 1}${loss} | ${formatRate(rate)}${left}`);
    this.drawn = true;
  }

  /** After an epoch: the bar is replaced by the epoch's summary line; `lines` mode prints that line. */
  endEpoch(logs: EpochLogs): void {
    if (this.mode === 'none') return;
    const prefix = this.mode === 'bar' && this.drawn ? '\r\x1b[2K' : '';
    this.stream!.write(`${prefix}${formatEpochLine(logs, this.epochs)}\n`);
  }

  /** A validation inside an epoch (`validateEvery`): one line with the step and the monitor, in both modes. */
  validation(point: ValidationPoint): void {
    if (this.mode === 'none') return;
    const where = Number.isFinite(point.epochProgress)
      ? `${Math.round(point.epochProgress * 100)}% of epoch ${point.epoch + 1}`
      : `epoch ${point.epoch + 1}`;
    const best = point.improved ? ' (best so far)' : '';
    const prefix = this.mode === 'bar' && this.drawn ? '\r\x1b[2K' : '';
    this.drawn = false;
    this.stream!.write(`${prefix}step ${point.step} (${where}): val monitor ${point.monitor.description}${best}\n`);
  }

  /** A free-form message on its own line (resume, early stop). */
  message(text: string): void {
    if (this.mode === 'none') return;
    const prefix = this.mode === 'bar' && this.drawn ? '\r\x1b[2K' : '';
    this.drawn = false;
    this.stream!.write(`${prefix}train: ${text}\n`);
  }
}
