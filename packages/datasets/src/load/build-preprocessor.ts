import type { NormalisedSpec, NormalisedTaskSet } from '../spec/normalised-spec.js';
import type { FileLayout } from '../parse/file-layout.js';
import type { FittedFeature } from '../encode/fitted-feature.js';
import { Preprocessor } from '../encode/preprocessor.js';

/** A preprocessor from fitted features; the serving input format is the spec's format and the first train file's columns. */
export function buildPreprocessor(
  spec: NormalisedSpec,
  taskSet: NormalisedTaskSet,
  layout: FileLayout,
  features: FittedFeature[],
): Preprocessor {
  const { format } = spec;
  return new Preprocessor({
    format: 'ektm-preprocessor',
    version: 1,
    dataset: spec.name,
    taskSet: taskSet.name,
    input: {
      delimiter: format.delimiter,
      quote: format.quote,
      missing: [...format.missing],
      ...(layout.names ? { columns: [...layout.names] } : {}),
      fieldCount: layout.fieldCount,
      ...(layout.keyValue ? { keyValue: { ...layout.keyValue } } : {}),
    },
    features,
    tasks: taskSet.tasks.map(({ key: _key, ...task }) => task),
    ...(spec.group !== undefined ? { group: spec.group } : {}),
  });
}
