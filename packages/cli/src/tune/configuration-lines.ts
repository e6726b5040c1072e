import type { CompareResult } from '../compare/compare-result.js';
import { formatBudget } from './tune-budget.js';

/**
 * The lines under a comparison table's protocol that say which models ran with their own configuration instead of the
 * protocol's values: tuned by `--tune-trials` (with the budget every model got), or given by `--config`.
 */
export function configurationLines(result: CompareResult): string[] {
  const models = Object.keys(result.configs ?? {});
  if (models.length === 0) return [];
  const tuning = result.tuning;
  if (tuning) {
    return [
      `tuned: ${models.join(', ')}, each with ${tuning.trials} trials, budget ${formatBudget(tuning.budget, tuning.trials)}, seed ${tuning.seed}, ` +
        `on ${tuning.monitor}; their winners' settings replace the protocol's`,
    ];
  }
  return [`configured (--config): ${models.join(', ')} ran with their configuration's settings in place of the protocol's`];
}
