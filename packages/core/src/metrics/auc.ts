/**
 * Exact ROC AUC.
 *
 * Why exact: published differences between multi-task models are 0.002–0.01 AUC, so a binned
 * (histogram) AUC is not good enough to rank them. This is the Mann–Whitney U statistic with ties
 * counted one half, which equals the mid-rank formula
 * `(Σ ranks of positives − P(P+1)/2) / (P·N)` with tied scores given their average rank.
 *
 * How: instead of sorting (score, label) pairs with a JS comparator, positives and negatives are
 * copied into two `Float64Array`s and sorted with the native numeric typed-array sort (no
 * comparator, no per-element objects), then one merge pass counts, for every positive, the
 * negatives scored strictly below it and those tied with it. O(n log n) time, 8 bytes a row.
 */

/** Labels must be exactly 0 or 1 here; masking missing labels is the caller's job. */
function checkLabel(where: string, label: number, i: number): boolean {
  if (label === 1) return true;
  if (label === 0) return false;
  throw new RangeError(`${where}: labels[${i}] is ${label}; labels must be 0 or 1 (mask missing labels before scoring)`);
}

function checkScore(where: string, score: number, i: number): void {
  if (Number.isNaN(score)) throw new RangeError(`${where}: scores[${i}] is NaN; a model produced a NaN prediction`);
}

/**
 * `2·U` for ascending-sorted negative and positive scores: Σ over positives of
 * (#negatives strictly below + #negatives at or below). Kept doubled so it stays an integer
 * (exact in float64 up to 2^53, i.e. far beyond 10^6 × 10^6 pairs).
 */
export function mannWhitneyU2(sortedNegatives: Float64Array, sortedPositives: Float64Array): number {
  const k = sortedNegatives.length;
  let below = 0; // negatives < current positive
  let atOrBelow = 0; // negatives <= current positive
  let u2 = 0;
  for (let j = 0; j < sortedPositives.length; j++) {
    const p = sortedPositives[j]!;
    while (below < k && sortedNegatives[below]! < p) below++;
    if (atOrBelow < below) atOrBelow = below;
    while (atOrBelow < k && sortedNegatives[atOrBelow]! <= p) atOrBelow++;
    u2 += below + atOrBelow;
  }
  return u2;
}

/**
 * Splits scores by label into two float64 arrays, sorted ascending.
 * Throws on a NaN score or a label other than 0/1.
 */
function splitByLabel(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  where = 'auc',
): {
  /** Scores of the rows labelled 0, ascending. */
  negatives: Float64Array;
  /** Scores of the rows labelled 1, ascending. */
  positives: Float64Array;
} {
  const n = scores.length;
  if (labels.length !== n) throw new RangeError(`${where}: ${n} scores but ${labels.length} labels`);
  let positives = 0;
  for (let i = 0; i < n; i++) if (checkLabel(where, labels[i]!, i)) positives++;
  const pos = new Float64Array(positives);
  const neg = new Float64Array(n - positives);
  let a = 0;
  let b = 0;
  for (let i = 0; i < n; i++) {
    const s = scores[i]!;
    checkScore(where, s, i);
    if (labels[i] === 1) pos[a++] = s;
    else neg[b++] = s;
  }
  neg.sort();
  pos.sort();
  return { negatives: neg, positives: pos };
}

/**
 * Exact AUC of `scores` against 0/1 `labels` (ties count one half).
 *
 * @returns the AUC in [0, 1], or `undefined` when only one class (or no row) is present — AUC is
 *   not defined there, and returning NaN or 0.5 would silently poison averages and early stopping.
 * @throws RangeError on length mismatch, a NaN score, or a label that is not 0 or 1.
 */
export function auc(scores: ArrayLike<number>, labels: ArrayLike<number>): number | undefined {
  const { negatives, positives } = splitByLabel(scores, labels, 'auc');
  if (negatives.length === 0 || positives.length === 0) return undefined;
  return mannWhitneyU2(negatives, positives) / (2 * negatives.length * positives.length);
}
