import type { EncodedTable } from '../data/encoded-table.js';
import { EktmError } from '../errors/ektm-error.js';
import type { MultiTaskModel } from '../model/multi-task-model.js';

/** Predictions whose range over the rows is below this are constant: every AUC on them is exactly 0.5. */
const CONSTANT_RANGE = 1e-6;

/**
 * Thrown when a trained model collapsed: its predictions are the same for every row (typically saturated at 0 or 1
 * after a far too large learning rate), so every validation AUC is 0.5. Such a model must not be saved as if trained.
 */
export class CollapsedModelError extends EktmError {
  /** The class name, shown in stack traces and by `String(error)`. */
  override readonly name = 'CollapsedModelError';
  readonly kind = 'training' as const;

  constructor(
    message: string,
    /** The tasks whose predictions are constant. */
    readonly tasks: readonly string[],
  ) {
    super(message);
  }
}

/** The tasks whose predictions on `table` are constant (to 1e-6), with the constant. */
export function constantPredictions(model: MultiTaskModel, table: EncodedTable): Record<string, number> {
  const { tasks } = model.predict(table);
  const out: Record<string, number> = {};
  for (const [task, values] of Object.entries(tasks)) {
    let min = Infinity;
    let max = -Infinity;
    for (const v of values) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    if (values.length > 1 && max - min < CONSTANT_RANGE) out[task] = min;
  }
  return out;
}

/**
 * Fails when every task of a trained model predicts one constant on the validation rows: the model learnt nothing
 * (validation AUC 0.5 everywhere), usually because the learning rate was far too large. A model where only some tasks
 * are constant passes (the caller may warn with {@link constantPredictions}).
 *
 * @throws CollapsedModelError naming the tasks, their constant and the learning rate.
 */
export function checkNotCollapsed(model: MultiTaskModel, validation: EncodedTable, context: { learningRate?: number } = {}): void {
  const constant = constantPredictions(model, validation);
  const tasks = model.taskNames;
  if (tasks.length === 0 || !tasks.every((t) => t in constant)) return;
  const values = tasks.map((t) => `${t} ${constant[t]!.toPrecision(4)}`).join(', ');
  throw new CollapsedModelError(
    `the model collapsed: it predicts the same probability for all ${validation.rows} validation rows (${values}), so every ` +
      `validation AUC is 0.5. Train again with a smaller learning rate${context.learningRate === undefined ? '' : ` (it was ${context.learningRate})`}.`,
    tasks,
  );
}
