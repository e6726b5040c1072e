/** How well the average prediction matches the average outcome. */
export interface CalibrationResult {
  /** `meanPrediction / positiveRate`; 1 is calibrated, > 1 over-predicts. `undefined` when the positive rate is 0 or there are no rows. */
  calibration: number | undefined;
  /** Mean predicted probability; `undefined` for no rows. */
  meanPrediction: number | undefined;
  /** Mean label (the positive rate for 0/1 labels); `undefined` for no rows. */
  positiveRate: number | undefined;
}

/**
 * Calibration = mean prediction / mean label (the "PCOC" used in ad ranking).
 *
 * Why: AUC is blind to any monotone distortion of scores, but CTR·CVR products and bid prices use
 * the probabilities themselves; a CVR head trained in the clicked space and scored in the entire
 * space shows up here as calibration far above 1 even when its AUC looks fine.
 *
 * @throws RangeError on length mismatch or a NaN value.
 */
export function calibration(probs: ArrayLike<number>, labels: ArrayLike<number>): CalibrationResult {
  const n = probs.length;
  if (labels.length !== n) throw new RangeError(`calibration: ${n} probabilities but ${labels.length} labels`);
  if (n === 0) return { calibration: undefined, meanPrediction: undefined, positiveRate: undefined };
  let sp = 0;
  let sy = 0;
  for (let i = 0; i < n; i++) {
    const p = probs[i]!;
    const y = labels[i]!;
    if (Number.isNaN(p)) throw new RangeError(`calibration: probs[${i}] is NaN; a model produced a NaN prediction`);
    if (Number.isNaN(y)) throw new RangeError(`calibration: labels[${i}] is NaN (mask missing labels before scoring)`);
    sp += p;
    sy += y;
  }
  const meanPrediction = sp / n;
  const positiveRate = sy / n;
  return { calibration: positiveRate === 0 ? undefined : meanPrediction / positiveRate, meanPrediction, positiveRate };
}
