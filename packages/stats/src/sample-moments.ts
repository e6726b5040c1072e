/**
 * Sample variance around a mean that is already known exactly (the AUC, or the AUC difference, computed in
 * integers): Σ (x − mean)² / (k − 1), the unbiased form DeLong's variance uses. One pass, no cancellation
 * (never E[x²] − mean²).
 */
export function sampleVarianceAround(values: Float64Array, mean: number): number {
  const k = values.length;
  let sum = 0;
  for (let i = 0; i < k; i++) {
    const d = values[i]! - mean;
    sum += d * d;
  }
  return sum / (k - 1);
}

/** Sample covariance of two equally long series around known means: Σ (x − mx)(y − my) / (k − 1). */
export function sampleCovarianceAround(x: Float64Array, meanX: number, y: Float64Array, meanY: number): number {
  const k = x.length;
  let sum = 0;
  for (let i = 0; i < k; i++) sum += (x[i]! - meanX) * (y[i]! - meanY);
  return sum / (k - 1);
}

/** Element-wise a − b into a new array (the per-row difference of two models' components). */
export function difference(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! - b[i]!;
  return out;
}
