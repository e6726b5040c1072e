import { checkTableFeatures } from '../data/check-table.js';
import type { EncodedTable } from '../data/encoded-table.js';
import { evaluateTasks, type TaskMetrics } from '../metrics/task-metrics.js';
import type { MultiTaskModel } from '../model/multi-task-model.js';
import { ConfigError } from '../errors/config-error.js';
import { DataError } from '../errors/data-error.js';

/** Options of {@link evaluate}. */
export interface EvaluateOptions {
  /** Rows per forward pass. Default 8192. */
  batchSize?: number;
}

/**
 * Exact per-task metrics of a model on a table: AUC, GAUC when the table has groups, log loss, calibration and
 * counts, each task over its own sample space (a task with a parent only on rows where the parent's label is 1,
 * and then also its entire-space AUC). Predictions come from `model.predict` (inference mode), so evaluate and
 * predict can never disagree.
 *
 * @throws TableFeatureError when the table does not fit the model's features (see `checkTableFeatures`).
 * @throws DataError when the table has no labels for a task (rows for serving, without labels).
 */
export function evaluate(model: MultiTaskModel, table: EncodedTable, options: EvaluateOptions = {}): Record<string, TaskMetrics> {
  const batchSize = options.batchSize ?? 8192;
  if (!Number.isInteger(batchSize) || batchSize <= 0)
    throw new ConfigError(`evaluate: batchSize must be a positive integer, got ${batchSize}`, 'batchSize');
  if (table.rows === 0) throw new DataError('evaluate: the table has no rows');
  checkTableFeatures(table, model.spec.features, { where: 'evaluate' });
  const labels = Object.keys(table.labels ?? {});
  const missing = model.spec.tasks.filter((t) => !labels.includes(t.label));
  if (missing.length) {
    throw new DataError(
      `evaluate: the table has no labels for ${missing.map((t) => `task "${t.name}" (label "${t.label}")`).join(', ')}; its labels are ` +
        `${labels.length ? labels.join(', ') : '(none)'}. Evaluating needs labelled rows; to score rows without labels, use model.predict (ektm predict)`,
      { field: missing[0]!.label },
    );
  }
  const { tasks } = model.predict(table, { batchSize });
  return evaluateTasks(model.spec.tasks, tasks, table.labels, table.groups);
}
