import { mannWhitneyU2 } from './auc.js';

/** Group AUC and how much of the data it actually covers. */
export interface GaucResult {
  /** Impression-weighted mean of per-group AUCs; `undefined` when no group has both classes. */
  gauc: number | undefined;
  /** Groups with both classes, i.e. the groups that count. */
  groupsCounted: number;
  /** Distinct groups seen. */
  groupsTotal: number;
  /** Rows in the counted groups (the denominator of the weighting). */
  rowsCounted: number;
}

/**
 * Group AUC (GAUC, as in EasyRec and the DIN paper): the AUC inside each group (usually a user),
 * averaged with weight = the group's number of rows (impressions).
 *
 * Why: a global AUC mixes users, so a model can score well just by ranking active users above
 * inactive ones; GAUC only compares items shown to the same user, which is what a ranker does.
 * Groups with a single class have no AUC and are skipped (not counted as 0.5), so they report in
 * `groupsCounted` instead of diluting the mean.
 *
 * How: rows are bucketed by group with a counting sort (negatives then positives of each group in
 * one shared `Float64Array`), each bucket half is sorted natively and scored with the same exact
 * Mann–Whitney merge as {@link auc}. O(n log n), no per-row objects.
 *
 * @throws RangeError on length mismatch, a NaN score, or a label that is not 0 or 1.
 */
export function gauc(scores: ArrayLike<number>, labels: ArrayLike<number>, groups: ArrayLike<number>): GaucResult {
  const n = scores.length;
  if (labels.length !== n || groups.length !== n) {
    throw new RangeError(`gauc: ${n} scores, ${labels.length} labels and ${groups.length} groups must have the same length`);
  }
  // Dense group index per row.
  const index = new Map<number, number>();
  const dense = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const g = groups[i]!;
    let d = index.get(g);
    if (d === undefined) {
      d = index.size;
      index.set(g, d);
    }
    dense[i] = d;
  }
  const G = index.size;
  const pos = new Int32Array(G);
  const neg = new Int32Array(G);
  for (let i = 0; i < n; i++) {
    const y = labels[i]!;
    if (y === 1) pos[dense[i]!]!++;
    else if (y === 0) neg[dense[i]!]!++;
    else throw new RangeError(`gauc: labels[${i}] is ${y}; labels must be 0 or 1 (mask missing labels before scoring)`);
    if (Number.isNaN(scores[i]!)) throw new RangeError(`gauc: scores[${i}] is NaN; a model produced a NaN prediction`);
  }
  // Layout: group d occupies [start[d], start[d] + neg[d] + pos[d]), negatives first.
  const start = new Int32Array(G + 1);
  for (let d = 0; d < G; d++) start[d + 1] = start[d]! + neg[d]! + pos[d]!;
  const nextNeg = start.slice(0, G);
  const nextPos = new Int32Array(G);
  for (let d = 0; d < G; d++) nextPos[d] = start[d]! + neg[d]!;
  const buffer = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const d = dense[i]!;
    if (labels[i] === 1) buffer[nextPos[d]!++] = scores[i]!;
    else buffer[nextNeg[d]!++] = scores[i]!;
  }

  let weighted = 0;
  let rowsCounted = 0;
  let groupsCounted = 0;
  for (let d = 0; d < G; d++) {
    const k = neg[d]!;
    const m = pos[d]!;
    if (k === 0 || m === 0) continue;
    const s = start[d]!;
    const negatives = buffer.subarray(s, s + k).sort();
    const positives = buffer.subarray(s + k, s + k + m).sort();
    const groupAuc = mannWhitneyU2(negatives, positives) / (2 * k * m);
    weighted += (k + m) * groupAuc;
    rowsCounted += k + m;
    groupsCounted++;
  }
  return {
    gauc: groupsCounted === 0 ? undefined : weighted / rowsCounted,
    groupsCounted,
    groupsTotal: G,
    rowsCounted,
  };
}
