/**
 * Prints a metric for logs and tables: 4 decimals, and "n/a" for an undefined metric (an AUC over a
 * single class, a calibration with no positives) so that it is never shown as a misleading 0 or NaN.
 */
export function formatMetric(value: number | undefined, digits = 4): string {
  if (value === undefined) return 'n/a';
  return value.toFixed(digits);
}
