import { ConfigError } from '../errors/config-error.js';
/**
 * One prediction task of a multi-task model, and the sample space its loss and metrics live in.
 *
 * - A plain task has its own tower and head: `p = sigmoid(tower(representation))`.
 * - `parent` restricts the task to rows where the parent task's label is 1 (a CVR task in the clicked space).
 * - `product` makes the task an entire-space product of other tasks' probabilities (ESMM's
 *   pCTCVR = pCTR · pCVR); it has no tower of its own, and gradients reach its factors' heads through it.
 */
export interface TaskSpec {
  /** Unique task name; also the default label name and the key of its representation and output. */
  name: string;
  /** Label name in the data; defaults to `name`. */
  label?: string;
  /** `bce` (binary cross-entropy on a probability, default) or `mse` (regression on the raw output). */
  loss?: 'bce' | 'mse';
  /** Weight of this task's loss in the total; 0 keeps the task for evaluation only. Default 1. */
  weight?: number;
  /** Parent task: this task's loss and metrics only count rows where the parent's label is 1. */
  parent?: string;
  /** The two (or more) tasks whose probabilities multiply to this one, e.g. `['click', 'cvr']`. */
  product?: string[];
}

/** A task spec with every default filled in. */
export interface ResolvedTaskSpec {
  /** Unique task name; the key of its representation and output. */
  name: string;
  /** Label name in the data (the task name unless given). */
  label: string;
  /** Loss kind: `bce` on a probability or `mse` on the raw output. */
  loss: 'bce' | 'mse';
  /** Weight of this task's loss in the total; 0 = evaluated only. */
  weight: number;
  /** Parent task whose positive rows form this task's sample space; absent = every row. */
  parent?: string;
  /** Tasks whose probabilities multiply to this one (ESMM-style); absent for tasks with their own tower. */
  product?: string[];
}

/** Fills defaults and checks references; throws naming the task and the offending key. */
export function resolveTasks(tasks: readonly TaskSpec[]): ResolvedTaskSpec[] {
  if (tasks.length === 0) throw new ConfigError('tasks: at least one task is required', 'tasks');
  const names = new Set<string>();
  for (const [i, t] of tasks.entries()) {
    if (typeof t.name !== 'string' || !/^[A-Za-z_][\w.-]*$/.test(t.name)) {
      throw new ConfigError(
        `tasks[${i}].name: ${JSON.stringify(t.name)} is not a valid task name (letters, digits, _ . -)`,
        `tasks[${i}].name`,
      );
    }
    if (names.has(t.name)) throw new ConfigError(`tasks[${i}].name: duplicate task name "${t.name}"`, `tasks[${i}].name`);
    names.add(t.name);
  }
  return tasks.map((t, i) => {
    const at = `tasks[${i}] ("${t.name}")`;
    if (t.loss !== undefined && t.loss !== 'bce' && t.loss !== 'mse') {
      throw new ConfigError(`${at}.loss: ${JSON.stringify(t.loss)} is not allowed; use "bce" or "mse"`, `${at}.loss`);
    }
    if (t.weight !== undefined && !(Number.isFinite(t.weight) && t.weight >= 0)) {
      throw new ConfigError(`${at}.weight: ${t.weight} must be a finite number >= 0`, `${at}.weight`);
    }
    if (t.parent !== undefined && (!names.has(t.parent) || t.parent === t.name)) {
      throw new ConfigError(`${at}.parent: "${t.parent}" is not another task; tasks are ${[...names].join(', ')}`, `${at}.parent`);
    }
    if (t.product !== undefined) {
      if (!Array.isArray(t.product) || t.product.length < 2)
        throw new ConfigError(`${at}.product: needs at least two task names`, `${at}.product`);
      for (const f of t.product) {
        if (!names.has(f) || f === t.name)
          throw new ConfigError(`${at}.product: "${f}" is not another task; tasks are ${[...names].join(', ')}`, `${at}.product`);
      }
    }
    return { name: t.name, label: t.label ?? t.name, loss: t.loss ?? 'bce', weight: t.weight ?? 1, parent: t.parent, product: t.product };
  });
}

/** Tasks that own a representation and a tower (every task that is not a product). */
export function towerTasks(tasks: readonly ResolvedTaskSpec[]): string[] {
  return tasks.filter((t) => !t.product).map((t) => t.name);
}
