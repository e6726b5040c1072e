import { createHash } from 'node:crypto';
import type { LoadedDataset } from '@ektm/datasets';
import type { SearchIdentity } from './trial-record.js';

/** A checksum of every training and validation label, in task order (sha256, first 16 hex digits). */
export function labelChecksum(dataset: Pick<LoadedDataset, 'tasks' | 'splits'>): string {
  const hash = createHash('sha256');
  for (const split of [dataset.splits.train, dataset.splits.validation]) {
    for (const task of dataset.tasks) {
      const labels = split.labels[task.name];
      if (labels) hash.update(new Uint8Array(labels.buffer, labels.byteOffset, labels.byteLength));
    }
  }
  return hash.digest('hex').slice(0, 16);
}

/** JSON with object keys sorted, so that two equal values print the same whatever their key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function short(value: unknown): string {
  const text = canonical(value);
  return text.length > 70 ? `${text.slice(0, 67)}...` : text;
}

/**
 * Where two search identities differ, one phrase each (`model "mmoe" there, "ektm" here`), in a fixed order; empty
 * when they are the same search.
 */
export function identityDifferences(there: SearchIdentity, here: SearchIdentity): string[] {
  const fields: Array<[string, unknown, unknown]> = [
    ['dataset', there.dataset.name, here.dataset.name],
    ['task set', there.dataset.taskSet, here.dataset.taskSet],
    ['max rows', there.dataset.maxRows, here.dataset.maxRows],
    ['training rows', there.dataset.trainRows, here.dataset.trainRows],
    ['validation rows', there.dataset.validationRows, here.dataset.validationRows],
    ['label checksum', there.dataset.labelChecksum, here.dataset.labelChecksum],
    ['tasks', there.tasks, here.tasks],
    ['target tasks', there.targets, here.targets],
    ['model', there.model, here.model],
    ['seed', there.seed, here.seed],
    ['budget kind', there.budgetKind, here.budgetKind],
    ['search space', there.space, here.space],
  ];
  for (const key of Object.keys({ ...there.protocol, ...here.protocol }).sort()) {
    fields.push([
      key,
      (there.protocol as unknown as Record<string, unknown>)[key],
      (here.protocol as unknown as Record<string, unknown>)[key],
    ]);
  }
  return fields.filter(([, a, b]) => canonical(a) !== canonical(b)).map(([name, a, b]) => `${name} ${short(a)} there, ${short(b)} here`);
}
