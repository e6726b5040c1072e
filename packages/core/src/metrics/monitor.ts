import { formatMetric } from './format.js';
import { ConfigError } from '../errors/config-error.js';

/** A metric an early stopper can watch. */
export type MonitorMetric = 'auc' | 'gauc' | 'logloss';

/**
 * What to keep the best model by:
 * - `{ task: 'click', metric: 'auc' }` — one task's metric (metric defaults to `auc`);
 * - `{ metric: 'auc', weights: { income: 1, gains: 1 } }` — a weighted mean over tasks (FuxiCTR style);
 * - `{ income: 1, gains: 1 }` — shorthand for weighted AUC.
 */
export type Monitor =
  | {
      /** The one task whose metric is watched. */
      task: string;
      /** The metric watched. Default `auc`. */
      metric?: MonitorMetric;
    }
  | {
      /** The metric averaged over tasks. Default `auc`. */
      metric?: MonitorMetric;
      /** Weight of each task in the mean, by task name; finite, >= 0, at least one positive. */
      weights: Readonly<Record<string, number>>;
    }
  | Readonly<Record<string, number>>;

/** The per-task metrics a monitor reads (a `TaskMetrics` record fits). */
export type MonitorInput = Readonly<
  Record<
    string,
    {
      /** The task's AUC; undefined when the split has a single class. */
      auc?: number | undefined;
      /** The task's group AUC; present only when results were computed with groups. */
      gauc?: number | undefined;
      /** The task's log loss (lower is better; the monitor negates it). */
      logloss?: number | undefined;
    }
  >
>;

/** A monitored value, oriented so that higher is better, with a human-readable description. */
export interface MonitorValue {
  /** Higher is better: AUC and GAUC as is, log loss negated. `-Infinity` when a metric is undefined. */
  value: number;
  /** e.g. `click auc 0.7234` or `weighted auc 0.8123 (income×1 0.9400, gains×1 0.6846)`. */
  description: string;
}

const METRICS: readonly MonitorMetric[] = ['auc', 'gauc', 'logloss'];

function normalize(monitor: Monitor): { metric: MonitorMetric; weights: [string, number][]; single: boolean } {
  if (monitor === null || typeof monitor !== 'object')
    throw new ConfigError(`monitor: expected an object, got ${JSON.stringify(monitor)}`, 'monitor');
  const m = monitor as Record<string, unknown>;
  const metricOf = (value: unknown): MonitorMetric => {
    if (value === undefined) return 'auc';
    if (!METRICS.includes(value as MonitorMetric))
      throw new ConfigError(`monitor.metric: ${JSON.stringify(value)} is not one of ${METRICS.join(', ')}`, 'monitor.metric');
    return value as MonitorMetric;
  };
  if (typeof m.task === 'string') return { metric: metricOf(m.metric), weights: [[m.task, 1]], single: true };
  let metric: MonitorMetric = 'auc';
  let weights: Record<string, unknown> = m;
  if (m.weights !== undefined) {
    if (m.weights === null || typeof m.weights !== 'object')
      throw new ConfigError('monitor.weights: expected a record of task name to weight', 'monitor.weights');
    metric = metricOf(m.metric);
    weights = m.weights as Record<string, unknown>;
  }
  const entries = Object.entries(weights);
  if (entries.length === 0)
    throw new ConfigError('monitor: no task to monitor; give { task, metric } or weights such as { click: 1 }', 'monitor');
  for (const [task, w] of entries) {
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0)
      throw new ConfigError(`monitor: weight of "${task}" is ${JSON.stringify(w)}; weights must be finite numbers >= 0`, 'monitor');
  }
  if (!entries.some(([, w]) => (w as number) > 0)) throw new ConfigError('monitor: at least one weight must be positive', 'monitor');
  return { metric, weights: entries as [string, number][], single: false };
}

/**
 * The value an early stopper compares across epochs, higher is better.
 *
 * Why one place: "keep the best model by one chosen output" is a common multi-task request, and
 * the sign of log loss and the weighting of tasks are easy to get wrong inside a trainer.
 * A weighted monitor is the weighted mean `Σ wₜ·mₜ / Σ wₜ` of one metric over tasks (log loss
 * negated). When a monitored metric is undefined (a validation split with a single class), the
 * value is `-Infinity`, which never counts as an improvement, and the description says `n/a`.
 *
 * @throws Error naming an unknown task (listing the known ones), an unknown metric, a bad weight,
 *   or a `gauc` monitor on results computed without groups.
 */
export function monitorValue(results: MonitorInput, monitor: Monitor): MonitorValue {
  const { metric, weights, single } = normalize(monitor);
  const known = Object.keys(results);
  let sum = 0;
  let total = 0;
  let undefinedMetric = false;
  const parts: string[] = [];
  for (const [task, w] of weights) {
    const r = results[task];
    if (!r) throw new ConfigError(`monitor: unknown task "${task}"; tasks are ${known.length ? known.join(', ') : '(none)'}`, 'monitor');
    if (metric === 'gauc' && !('gauc' in r))
      throw new ConfigError(`monitor: task "${task}" has no gauc (no groups were given when evaluating)`, 'monitor');
    const v = r[metric];
    parts.push(single ? `${task} ${metric} ${formatMetric(v)}` : `${task}×${w} ${formatMetric(v)}`);
    if (w === 0) continue;
    if (v === undefined || Number.isNaN(v)) {
      undefinedMetric = true;
      continue;
    }
    sum += w * v;
    total += w;
  }
  const mean = undefinedMetric ? undefined : sum / total;
  const value = mean === undefined ? -Infinity : metric === 'logloss' ? -mean : mean;
  const description = single ? parts[0]! : `weighted ${metric} ${formatMetric(mean)} (${parts.join(', ')})`;
  return { value, description };
}
