import { formatMetric } from '@ektm/core';

/** Per-task metrics as the evaluate command prints them (the fields of core's `TaskMetrics` that exist). */
export interface PrintableMetrics {
  /** Sample space the metrics count. */
  space?: string;
  /** Rows counted. */
  count?: number;
  /** Positive rows counted. */
  positives?: number;
  /** Exact AUC. */
  auc?: number | undefined;
  /** Group AUC, when the data has groups. */
  gauc?: number | undefined;
  /** Mean log loss. */
  logloss?: number | undefined;
  /** Mean prediction / mean label. */
  calibration?: number | undefined;
}

/** A text table of per-task metrics: one row per task. */
export function formatMetricsTable(metrics: Readonly<Record<string, PrintableMetrics>>): string {
  const tasks = Object.keys(metrics);
  const withGauc = tasks.some((t) => metrics[t]!.gauc !== undefined);
  const header = ['task', 'space', 'rows', 'positives', 'AUC', ...(withGauc ? ['GAUC'] : []), 'logloss', 'calibration'];
  const rows = tasks.map((t) => {
    const m = metrics[t]!;
    return [
      t,
      m.space ?? '',
      String(m.count ?? ''),
      String(m.positives ?? ''),
      formatMetric(m.auc),
      ...(withGauc ? [formatMetric(m.gauc)] : []),
      formatMetric(m.logloss),
      formatMetric(m.calibration, 3),
    ];
  });
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => (c < 2 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
      .join('  ')
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}
