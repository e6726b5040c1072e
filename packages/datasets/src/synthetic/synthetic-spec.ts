import type { NormalisedFeature, NormalisedSpec, NormalisedTask } from '../spec/normalised-spec.js';
import type { ResolvedSimulatorOptions } from './simulator-options.js';
import { SIMULATOR_FEATURE_COLUMNS } from './simulator.js';

const NUMERIC_COLUMNS = new Set(['user_activity', 'item_price']);

function task(key: string, name: string, column: string | undefined, extra: Partial<NormalisedTask> = {}): NormalisedTask {
  return { key, name, column, loss: 'bce', allowMissing: false, ...extra };
}

/**
 * The spec of a simulated dataset, so that simulated rows go through the same decoding, vocabularies and
 * encoding as files. Task set `ektm` is the parallel pattern: `click` over all impressions, each conversion
 * type in the clicked space. Task set `esmm` is the sequential pattern on the first conversion type:
 * `click`, `cvr` in the clicked space, `ctcvr` = click × cvr over all impressions.
 */
export function syntheticSpec(base: NormalisedSpec, options: ResolvedSimulatorOptions): NormalisedSpec {
  const conversions = Object.keys(options.conversionRates);
  const columns = [...SIMULATOR_FEATURE_COLUMNS, 'click', ...conversions];
  const features: NormalisedFeature[] = SIMULATOR_FEATURE_COLUMNS.map((column, i) => ({
    key: `features[${i}]`,
    column,
    type: NUMERIC_COLUMNS.has(column) ? 'numeric' : 'categorical',
    minCount: 1,
    transforms: NUMERIC_COLUMNS.has(column) ? ['log1p', 'standardise'] : [],
  }));
  const first = conversions[0]!;
  return {
    ...base,
    format: { delimiter: ',', header: false, columns, missing: [], skipLines: 0, quote: '"' },
    features,
    group: 'user_id',
    taskSets: {
      ektm: {
        key: 'taskSets.ektm',
        name: 'ektm',
        description: `The parallel pattern: click over all impressions, then ${conversions.join(', ')} side by side in the clicked space.`,
        tasks: [
          task('taskSets.ektm.tasks[0]', 'click', 'click'),
          ...conversions.map((c, k) => task(`taskSets.ektm.tasks[${k + 1}]`, c, c, { parent: 'click' })),
        ],
        excludeFeatures: [],
      },
      esmm: {
        key: 'taskSets.esmm',
        name: 'esmm',
        description: `The sequential pattern: impression -> click -> ${first}; cvr in the clicked space, ctcvr = click x cvr over all impressions.`,
        tasks: [
          task('taskSets.esmm.tasks[0]', 'click', 'click'),
          task('taskSets.esmm.tasks[1]', 'cvr', first, { parent: 'click' }),
          task('taskSets.esmm.tasks[2]', 'ctcvr', undefined, { product: ['click', 'cvr'] }),
        ],
        excludeFeatures: [],
      },
    },
  };
}
