import type { NormalisedSpec, NormalisedTaskSet } from '../spec/normalised-spec.js';
import type { LoadedDataset } from './loaded-dataset.js';
import type { AssembledDataset } from './dataset-assembler.js';
import type { BadRowCounter } from '../errors/bad-row-counter.js';

/** Packs an assembled dataset into the public shape. */
export function toLoadedDataset(
  spec: NormalisedSpec,
  taskSet: NormalisedTaskSet,
  assembled: AssembledDataset,
  badRows: BadRowCounter,
  options: { withoutTest?: boolean } = {},
): LoadedDataset {
  const { preprocessor, tables, sources } = assembled;
  const hasTest = !options.withoutTest && Boolean(spec.files?.test || spec.split.test || spec.synthetic);
  return {
    name: spec.name,
    description: spec.description,
    taskSet: taskSet.name,
    features: preprocessor.features,
    tasks: preprocessor.tasks,
    splits: { train: tables.train, validation: tables.validation, ...(hasTest ? { test: tables.test } : {}) },
    preprocessor,
    groupColumn: spec.group === undefined ? undefined : String(spec.group),
    badRows: badRows.report(),
    warnings: assembled.warnings,
    sources,
    spec,
  };
}
