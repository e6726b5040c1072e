import type { NormalisedSpec, NormalisedTaskSet } from './normalised-spec.js';
import { DatasetError } from '../errors/dataset-error.js';

/** The task set named by the caller, or the spec's default; an unknown name lists the task sets. */
export function pickTaskSet(spec: NormalisedSpec, name: string | undefined): NormalisedTaskSet {
  const chosen = name ?? spec.defaultTaskSet;
  const set = spec.taskSets[chosen];
  if (!set)
    throw new DatasetError(
      `unknown task set "${chosen}" of dataset "${spec.name}"; task sets are ${Object.keys(spec.taskSets).join(', ')}`,
      { key: 'taskSet' },
    );
  return set;
}
