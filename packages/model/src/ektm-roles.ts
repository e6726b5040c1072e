import { resolveTasks, type TaskSpec } from '@ektm/core';
import { ConfigError } from '@ektm/core';

/** Which tasks feed the router as broad sources, and which are the target (CVR) tasks it serves. */
export interface EktmRoles {
  /** Broad source tasks (CTR-like), added unweighted to every target's router output. */
  sources: string[];
  /** Target (CVR) tasks: each gets a router output, a transmitter and an enhancer. */
  targets: string[];
}

/**
 * Sources and targets of a task list, for callers that do not name them:
 * - sources: every task that is another task's `parent` (click in the sequential pattern) or the first factor
 *   of a `product` task (click in pCTCVR = pCTR · pCVR); when there is none (the parallel pattern with no
 *   structure, such as census), the first task;
 * - targets: every other task that has its own tower (product tasks have none).
 * Explicit `sources` / `targets` override either list.
 */
export function inferEktmRoles(tasks: readonly TaskSpec[], explicit: Partial<EktmRoles> = {}): EktmRoles {
  const resolved = resolveTasks(tasks);
  const names = resolved.map((t) => t.name);
  const towers = resolved.filter((t) => !t.product).map((t) => t.name);
  for (const [option, list] of Object.entries(explicit) as Array<[keyof EktmRoles, string[] | undefined]>) {
    for (const name of list ?? []) {
      if (!towers.includes(name)) {
        throw new ConfigError(
          `${option}: "${name}" is not a task with its own tower; tasks are ${names.join(', ')} (products have no representation)`,
          option,
        );
      }
    }
  }
  let sources = explicit.sources;
  if (!sources) {
    const structural = new Set<string>();
    for (const t of resolved) {
      if (t.parent) structural.add(t.parent);
      if (t.product) structural.add(t.product[0]!);
    }
    sources = towers.filter((n) => structural.has(n));
    if (sources.length === 0) sources = [towers[0]!];
  }
  const targets = explicit.targets ?? towers.filter((n) => !sources!.includes(n));
  if (targets.length === 0) {
    throw new ConfigError(
      `targets: no target task left (sources: ${sources.join(', ')}; tasks: ${names.join(', ')}); EKTM needs at least one`,
      'targets',
    );
  }
  const both = targets.filter((n) => sources!.includes(n));
  if (both.length) throw new ConfigError(`sources and targets overlap: ${both.join(', ')}`);
  return { sources: [...sources], targets: [...targets] };
}
