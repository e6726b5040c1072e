import type { TaskSpec } from '@ektm/core';
import { ConfigError } from '@ektm/core';

/**
 * The tasks the comparison's early stopping averages: the dataset's designated targets when it names them;
 * otherwise the conversion-like tasks (those with a `parent` or a `product`), and when there are none (the
 * parallel pattern without structure), every task but the first, as EKTM treats the first as the source.
 * A single-task dataset monitors its one task.
 */
export function targetTasks(tasks: readonly TaskSpec[], designated?: readonly string[]): string[] {
  const names = tasks.map((t) => t.name);
  if (designated && designated.length > 0) {
    const unknown = designated.filter((d) => !names.includes(d));
    if (unknown.length) throw new ConfigError(`target tasks ${unknown.join(', ')} are not tasks of the dataset (${names.join(', ')})`);
    return [...designated];
  }
  const structured = tasks.filter((t) => t.parent !== undefined || t.product !== undefined).map((t) => t.name);
  if (structured.length) return structured;
  return names.length > 1 ? names.slice(1) : names;
}

/** Early stopping's monitor in a comparison: the mean validation AUC of some tasks. */
export interface WeightedAucMonitor {
  /** Always the AUC. */
  metric: 'auc';
  /** Weight 1 for every monitored task. */
  weights: Record<string, number>;
}

/**
 * The early-stopping monitor of one model: the mean validation AUC of the dataset's targets that the model predicts
 * (ESMM predicts one funnel, so it is watched on the conversion it models), else of every task it has.
 */
export function targetMonitor(targets: readonly string[], modelTasks: readonly string[]): WeightedAucMonitor {
  const monitored = targets.filter((t) => modelTasks.includes(t));
  return { metric: 'auc', weights: Object.fromEntries((monitored.length ? monitored : modelTasks).map((t) => [t, 1])) };
}
