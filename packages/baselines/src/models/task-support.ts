import { resolveTasks, towerTasks, type TaskAdaptation, type TaskSpec, type TaskSupport } from '@ektm/core';

/** Every task set a model with a tower per task runs on (single-task, shared-bottom, MMoE, ...). */
export function anyTaskSet(): TaskSupport {
  return { ok: true };
}

/** Names of the tasks, for messages. */
function listed(tasks: readonly TaskSpec[]): string {
  return tasks.map((t) => t.name).join(', ');
}

/**
 * The funnel models (ESMM, ESCM2) need a click → conversion funnel: an ESMM-shaped task set (a `product` task) or a
 * task with a `parent`. On a parallel task set without one (census income/marital) they cannot run.
 */
export function funnelSupport(model: string): (tasks: readonly TaskSpec[]) => TaskSupport {
  return (tasks) =>
    tasks.some((t) => t.parent !== undefined || (t.product !== undefined && t.product.length === 2))
      ? { ok: true }
      : { ok: false, reason: `${model} models a click → conversion funnel, and no task of ${listed(tasks)} follows another (no parent)` };
}

/**
 * ESMM's and ESCM2's natural form on a task set with conversions after a click: they model one funnel (the first
 * task with a parent, after its parent), with the CVR task named after the conversion so that its metrics line
 * up with the other models', and say which other conversions they leave out. An ESMM-shaped task set (with a
 * product task) needs no adaptation.
 */
export function funnelAdaptation(model: string): (tasks: readonly TaskSpec[]) => TaskAdaptation | undefined {
  return (tasks) => {
    if (tasks.some((t) => t.product !== undefined)) return undefined;
    const children = tasks.filter((t) => t.parent !== undefined);
    const first = children[0];
    if (!first) return undefined;
    const leftOut = children.filter((t) => t !== first).map((t) => t.name);
    const options = { click: first.parent!, conversion: first.name, cvrTask: first.name };
    if (leftOut.length === 0) return { options };
    return {
      options,
      note: `${model} models one funnel, ${first.parent} → ${first.name}; it has no output for ${leftOut.join(', ')}`,
    };
  };
}

/** AITM chains the tasks of a funnel, or every task in order: it needs at least two tasks with a tower. */
export function chainSupport(tasks: readonly TaskSpec[]): TaskSupport {
  let towers: string[];
  try {
    towers = towerTasks(resolveTasks(tasks));
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
  return towers.length >= 2
    ? { ok: true }
    : { ok: false, reason: `aitm chains tasks, and the task set has only ${towers.join(', ')} with a tower of its own` };
}
