import type { NormalisedFeature, NormalisedSpec, NormalisedTask } from '../spec/normalised-spec.js';
import type { ResolvedSimulatorOptions } from './simulator-options.js';
import { SIMULATOR_FEATURE_COLUMNS } from './simulator.js';

const NUMERIC_COLUMNS = new Set(['user_activity', 'item_price']);

function task(key: string, name: string, column: string | undefined, extra: Partial<NormalisedTask> = {}): NormalisedTask {
  return { key, name, column, loss: 'bce', allowMissing: false, ...extra };
}

/**
 * The spec of a simulated dataset, so that simulated rows go through the same decoding, vocabularies and
 * encoding as files. Task set `ektm`: `click` over all impressions, each conversion type in its own sample space
 * (the clicked space, side by side: the parallel pattern; or its parent conversion's positives: the sequential
 * pattern). Task set `esmm` is ESMM's funnel on the first conversion type that follows the click: `click`, `cvr` in
 * the clicked space, `ctcvr` = click × cvr over all impressions.
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
  // ESMM's funnel is impression → click → the first conversion that follows the click directly.
  const first = conversions.find((c) => options.conversionParents[c] === undefined) ?? conversions[0]!;
  const parentOf = (c: string) => options.conversionParents[c] ?? 'click';
  const chained = conversions.filter((c) => options.conversionParents[c] !== undefined);
  const describeEktm =
    chained.length === 0
      ? `The parallel pattern: click over all impressions, then ${conversions.join(', ')} side by side in the clicked space.`
      : `Both patterns: click over all impressions; ${conversions.filter((c) => !chained.includes(c)).join(', ')} side by side in the ` +
        `clicked space (parallel); ${chained.map((c) => `${parentOf(c)} → ${c} in the ${parentOf(c)} space`).join(', ')} (sequential).`;
  return {
    ...base,
    format: { delimiter: ',', header: false, columns, missing: [], skipLines: 0, quote: '"' },
    features,
    group: 'user_id',
    taskSets: {
      ektm: {
        key: 'taskSets.ektm',
        name: 'ektm',
        description: describeEktm,
        tasks: [
          task('taskSets.ektm.tasks[0]', 'click', 'click'),
          ...conversions.map((c, k) => task(`taskSets.ektm.tasks[${k + 1}]`, c, c, { parent: parentOf(c) })),
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
