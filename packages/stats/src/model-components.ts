import { aucComponents, type AucComponents } from './auc-components.js';
import { classRows, gatherScores, requireClassCounts, type ClassRows, type Labels, type RowMask, type Scores } from './inputs.js';

/** The selected rows and the components of each model on them (internal). */
export interface ModelComponents {
  /** The selected rows by class. */
  readonly rows: ClassRows;
  /** One entry a model, in the order given. */
  readonly models: AucComponents[];
}

/**
 * Validates labels, mask and every model's scores, then computes each model's DeLong components on the
 * selected rows. `names[k]` names model k's argument in error messages (`scoresA`, `scores[2]`).
 */
export function modelComponents(
  where: string,
  labels: Labels,
  scores: readonly Scores[],
  names: readonly string[],
  mask: RowMask | undefined,
): ModelComponents {
  const rows = classRows(where, labels, mask);
  requireClassCounts(where, rows, 2);
  const models = scores.map((s, k) => {
    const pos = gatherScores(where, names[k]!, s, labels.length, rows.positives);
    const neg = gatherScores(where, names[k]!, s, labels.length, rows.negatives);
    return aucComponents(pos, neg);
  });
  return { rows, models };
}
