import type { NormalisedSpec, NormalisedTaskSet } from '../spec/normalised-spec.js';
import type { NamedFeature } from '../encode/feature-fitter.js';
import type { FileLayout } from '../parse/file-layout.js';
import type { RowSchema } from '../parse/row-schema.js';
import { ColumnBinder } from '../parse/column-binder.js';
import { DatasetError } from '../errors/dataset-error.js';
import { join } from '../spec/spec-reader.js';

/** The features a task set uses, named, and what its rows must yield. */
export interface FeatureSelection {
  /** The task set's features, in spec order, with their names resolved. */
  features: NamedFeature[];
  /** The row schema of the features, tasks and group. */
  schema: RowSchema;
  /** Source column name of every feature and every task's label (undefined for a product label). */
  sources: { features: Record<string, string>; tasks: Record<string, string | undefined> };
}

/**
 * Picks a task set's features once the columns are known: drops its excluded columns, names features by
 * their columns, and refuses label leakage: a task's source column can never be a feature of its own task set.
 */
export function selectFeatures(spec: NormalisedSpec, taskSet: NormalisedTaskSet, layout: FileLayout): FeatureSelection {
  const binder = new ColumnBinder(layout);
  const where = { file: spec.source };
  const bound = spec.features.map((f) => ({ feature: f, column: binder.bind(f.column, join(f.key, 'column')) }));
  const excluded = new Set<number>();
  taskSet.excludeFeatures.forEach((ref, i) => {
    const key = `${join(taskSet.key, 'excludeFeatures')}[${i}]`;
    const slot = binder.bind(ref, key).slot;
    if (!bound.some((b) => b.column.slot === slot))
      throw new DatasetError(`${JSON.stringify(ref)} is not a feature column`, { ...where, key });
    excluded.add(slot);
  });
  const kept = bound.filter((b) => !excluded.has(b.column.slot));
  const names = new Map<string, string>();
  const features: NamedFeature[] = kept.map(({ feature, column }) => {
    const name = feature.name ?? (layout.names || typeof column.column === 'string' ? column.name : `column_${column.column}`);
    if (names.has(name)) {
      throw new DatasetError(`duplicate feature name "${name}" (also ${names.get(name)}); give one a "name"`, {
        ...where,
        key: join(feature.key, 'name'),
      });
    }
    names.set(name, feature.key);
    return { ...feature, name };
  });
  const featureSlots = new Map(kept.map((b) => [b.column.slot, b.feature.key]));
  const taskSources: Record<string, string | undefined> = {};
  for (const task of taskSet.tasks) {
    if (task.column === undefined) {
      taskSources[task.name] = undefined;
      continue;
    }
    const column = binder.bind(task.column, join(task.key, 'column'));
    const asFeature = featureSlots.get(column.slot);
    if (asFeature !== undefined) {
      throw new DatasetError(
        `column "${column.name}" is also a feature (${asFeature}) of task set "${taskSet.name}": a label's source is never a feature of its task set (label leakage); exclude it`,
        { ...where, key: join(task.key, 'column') },
      );
    }
    taskSources[task.name] = column.name;
  }
  if (spec.group !== undefined) binder.bind(spec.group, 'group');
  const featureSources: Record<string, string> = {};
  features.forEach((f, i) => (featureSources[f.name] = kept[i]!.column.name));
  return {
    features,
    schema: {
      features: features.map((f) => ({ key: f.key, column: f.column, name: f.name, source: f.type })),
      tasks: taskSet.tasks,
      group: spec.group,
      missing: spec.format.missing,
    },
    sources: { features: featureSources, tasks: taskSources },
  };
}
