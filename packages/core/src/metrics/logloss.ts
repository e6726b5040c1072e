/**
 * Mean binary cross-entropy of probabilities against labels, with probabilities clipped to
 * `[eps, 1 − eps]` so a confident wrong prediction costs `−log(eps)` (≈ 16.1 for 1e-7) instead of
 * Infinity. Accumulated in float64: summing millions of float32 terms loses digits otherwise.
 *
 * Labels may be soft (any value in [0, 1]); the sample-space masking of missing labels is the
 * caller's job.
 *
 * @returns the mean loss, or `undefined` for no rows.
 * @throws RangeError on length mismatch, a NaN probability or label, or an eps outside (0, 0.5).
 */
export function logloss(probs: ArrayLike<number>, labels: ArrayLike<number>, eps = 1e-7): number | undefined {
  const n = probs.length;
  if (labels.length !== n) throw new RangeError(`logloss: ${n} probabilities but ${labels.length} labels`);
  if (!(eps > 0 && eps < 0.5)) throw new RangeError(`logloss: eps ${eps} must be in (0, 0.5)`);
  if (n === 0) return undefined;
  const lo = eps;
  const hi = 1 - eps;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const y = labels[i]!;
    let p = probs[i]!;
    if (Number.isNaN(p)) throw new RangeError(`logloss: probs[${i}] is NaN; a model produced a NaN prediction`);
    if (Number.isNaN(y)) throw new RangeError(`logloss: labels[${i}] is NaN (mask missing labels before scoring)`);
    p = p < lo ? lo : p > hi ? hi : p;
    sum -= y * Math.log(p) + (1 - y) * Math.log(1 - p);
  }
  return sum / n;
}
