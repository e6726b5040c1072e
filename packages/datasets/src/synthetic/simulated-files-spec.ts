import type { DatasetSpec, TaskColumnSpec } from '../spec/dataset-spec.js';
import type { NormalisedSpec } from '../spec/normalised-spec.js';
import type { ResolvedSimulatorOptions } from './simulator-options.js';
import { syntheticSpec } from './synthetic-spec.js';

/** Where the files of a written simulation are, relative to the spec's folder (a list, or a glob of shards). */
export interface SimulatedFiles {
  /** The train shards: a glob pattern or the list of files. */
  train: string | string[];
  /** The validation file. */
  validation: string;
  /** The test file. */
  test: string;
}

/**
 * The JSON spec of simulated rows written to files: the same features, encodings, group and task sets (`ektm`,
 * `esmm`) as the built-in `synthetic` dataset, so that a model trained on the files sees exactly what it would see
 * in memory.
 */
export function simulatedFilesSpec(name: string, options: ResolvedSimulatorOptions, files: SimulatedFiles): DatasetSpec {
  const base: NormalisedSpec = {
    name,
    format: { delimiter: ',', header: true, missing: [], skipLines: 0, quote: '"' },
    split: {},
    features: [],
    taskSets: {},
    defaultTaskSet: 'ektm',
  };
  const spec = syntheticSpec(base, options);
  const taskSets: NonNullable<DatasetSpec['taskSets']> = {};
  for (const [setName, set] of Object.entries(spec.taskSets)) {
    taskSets[setName] = {
      ...(set.description ? { description: set.description } : {}),
      tasks: set.tasks.map(({ name: task, column, parent, product }): TaskColumnSpec => ({
        name: task,
        ...(column !== undefined ? { column } : {}),
        ...(parent !== undefined ? { parent } : {}),
        ...(product !== undefined ? { product: [...product] } : {}),
      })),
    };
  }
  return {
    name,
    description: `Simulated impressions (seed ${options.seed}): ${options.trainRows} train, ${options.validationRows} validation and ${options.testRows} test rows of the built-in simulator, written to files.`,
    files: { train: files.train, validation: files.validation, test: files.test },
    group: 'user_id',
    features: spec.features.map((f) => ({
      column: f.column,
      type: f.type,
      ...(f.transforms.length > 0 ? { transform: [...f.transforms] } : {}),
    })),
    taskSets,
    defaultTaskSet: 'ektm',
  };
}
