import type { EncodedTable, TaskSpec } from '@ektm/core';
import { ConfigError, DataError } from '@ektm/core';

/**
 * The sample-space mask of a task: 1 where its label is present and every ancestor's label (`parent`,
 * `parent` of the parent, ...) is 1, else 0. A CVR task with `parent: "click"` counts clicked rows only.
 */
export function taskMask(table: EncodedTable, tasks: readonly TaskSpec[], taskName: string): Float32Array {
  const byName = new Map(tasks.map((t) => [t.name, t]));
  const task = byName.get(taskName);
  if (!task) throw new ConfigError(`taskMask: unknown task "${taskName}"; tasks are ${tasks.map((t) => t.name).join(', ')}`);
  const mask = new Float32Array(table.rows);
  const own = table.labels[task.label ?? task.name];
  if (!own) throw new DataError(`taskMask: the table has no label "${task.label ?? task.name}"`, { field: task.label ?? task.name });
  const ancestors: Float32Array[] = [];
  for (let p = task.parent; p !== undefined; p = byName.get(p)?.parent) {
    const parent = byName.get(p);
    const labels = table.labels[parent?.label ?? p];
    if (!labels) throw new DataError(`taskMask: the table has no label for parent task "${p}"`, { field: p });
    ancestors.push(labels);
  }
  for (let i = 0; i < table.rows; i++) {
    let keep = !Number.isNaN(own[i]!);
    for (let a = 0; keep && a < ancestors.length; a++) keep = ancestors[a]![i] === 1;
    mask[i] = keep ? 1 : 0;
  }
  return mask;
}
