import type { EncodedTable, TaskSpec } from '@ektm/core';
import type { SplitName } from '../spec/normalised-spec.js';

/**
 * Rows whose child label is 1 where its parent's is 0 (a conversion without a click), per task and split. Such rows
 * are outside the child's sample space, so they are silently left out of its loss and metrics: a sign of label
 * columns that do not mean what the spec says (or of a missing filter upstream). Returns one warning per task.
 */
export function childWithoutParentWarnings(tasks: readonly TaskSpec[], tables: Partial<Record<SplitName, EncodedTable>>): string[] {
  const warnings: string[] = [];
  for (const task of tasks) {
    if (task.parent === undefined) continue;
    let count = 0;
    let rows = 0;
    const perSplit: string[] = [];
    for (const [split, table] of Object.entries(tables) as Array<[SplitName, EncodedTable | undefined]>) {
      const child = table?.labels[task.name];
      const parent = table?.labels[task.parent];
      if (!table || !child || !parent) continue;
      let n = 0;
      for (let r = 0; r < table.rows; r++) if (child[r] === 1 && parent[r] === 0) n++;
      rows += table.rows;
      count += n;
      if (n > 0) perSplit.push(`${n} ${split}`);
    }
    if (count > 0) {
      warnings.push(
        `task ${task.name}: ${count} of ${rows} rows (${perSplit.join(', ')}) have ${task.name} = 1 where its parent ${task.parent} = 0; ` +
          `they are outside ${task.name}'s sample space, so its loss and metrics leave them out. Check the label columns`,
      );
    }
  }
  return warnings;
}

/** One warning per categorical feature whose values were cut to the length limit. */
export function truncationWarnings(truncated: ReadonlyMap<string, number>, limit: number): string[] {
  return [...truncated]
    .filter(([, n]) => n > 0)
    .map(
      ([feature, n]) =>
        `feature ${feature}: ${n} values were longer than ${limit} characters and were cut to ${limit} (the same cut applies when serving); ` +
        'is the column an id, or free text that should not be a categorical feature?',
    );
}
