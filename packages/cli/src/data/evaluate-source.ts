import {
  DataError,
  TaskMetricsAccumulator,
  isTableSource,
  type EncodedTable,
  type MultiTaskModel,
  type TableSource,
  type TaskMetrics,
} from '@ektm/core';

/** What {@link evaluateSource} measured. */
export interface SourceEvaluation {
  /** Exact per-task metrics, each task in its own sample space (as `evaluate` computes them). */
  metrics: Record<string, TaskMetrics>;
  /** Rows scored. */
  rows: number;
  /** Every row's probability per task, in split order (only when asked for with `keepPredictions`). */
  predictions?: Record<string, Float32Array>;
  /** Per diagnostic (router similarity, gate weights): its mean over all rows. */
  diagnostics: Record<
    string,
    {
      /** The diagnostic's shape per row (as `predict` reports it). */
      shape: number[];
      /** Its row-weighted mean over the split, flattened. */
      mean: Float32Array;
    }
  >;
}

/**
 * Scores a split once, whether it is a table in memory or a stream from disk: predictions chunk by chunk, exact
 * metrics from the accumulated scores and labels (a few bytes a row and task, never the encoded rows), and the
 * row-weighted mean of every diagnostic. On a table it is `model.predict` once, exactly what `evaluate` computes.
 */
export async function evaluateSource(
  model: MultiTaskModel,
  data: EncodedTable | TableSource,
  batchSize = 8192,
  keepPredictions = false,
): Promise<SourceEvaluation> {
  const metrics = new TaskMetricsAccumulator(model.spec.tasks);
  // Kept predictions are 4 bytes a row and task (a comparison's paired statistics need them), never the rows.
  const kept: Record<string, Float32Array[]> = {};
  const sums: Record<string, { shape: number[]; sum: Float64Array }> = {};
  let rows = 0;
  const chunks: AsyncIterable<EncodedTable> | EncodedTable[] = isTableSource(data) ? data.chunks() : [data];
  for await (const chunk of chunks) {
    if (chunk.rows === 0) continue;
    const prediction = model.predict(chunk, { batchSize });
    metrics.add(prediction.tasks, chunk.labels, chunk.groups);
    if (keepPredictions) for (const [task, p] of Object.entries(prediction.tasks)) (kept[task] ??= []).push(p.slice(0, chunk.rows));
    for (const [name, d] of Object.entries(prediction.diagnostics)) {
      const entry = (sums[name] ??= { shape: d.shape, sum: new Float64Array(d.mean.length) });
      for (let i = 0; i < d.mean.length; i++) entry.sum[i]! += d.mean[i]! * chunk.rows;
    }
    rows += chunk.rows;
  }
  if (rows === 0) throw new DataError('the split has no rows to score');
  const diagnostics: SourceEvaluation['diagnostics'] = {};
  for (const [name, { shape, sum }] of Object.entries(sums)) diagnostics[name] = { shape, mean: Float32Array.from(sum, (s) => s / rows) };
  const predictions = keepPredictions
    ? Object.fromEntries(Object.entries(kept).map(([task, parts]) => [task, concat(parts, rows)]))
    : undefined;
  return { metrics: metrics.result(), rows, diagnostics, ...(predictions ? { predictions } : {}) };
}

function concat(parts: readonly Float32Array[], rows: number): Float32Array {
  const out = new Float32Array(rows);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
