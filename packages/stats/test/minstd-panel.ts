/**
 * A deterministic test panel that R can rebuild exactly: Park & Miller's MINSTD generator
 * (state ← 48271 · state mod 2³¹ − 1) in integer arithmetic, exact in float64 in both languages, so the
 * reference numbers computed by pROC on the same panel (quoted in the tests) apply to the very same rows.
 *
 * Per row, in this order: label = u < p ? 1 : 0; a = ⌊20u⌋ + 6·label; b = ⌊20u⌋ + 4·label + ⌊a/4⌋;
 * optimal = ⌊16u⌋ + 8·label (integer scores, so there are many ties).
 */
export interface Panel {
  labels: number[];
  a: number[];
  b: number[];
  optimal: number[];
}

export function minstdPanel(rows: number, seed: number, positiveRate: number): Panel {
  let state = seed;
  const u = () => {
    state = (48271 * state) % 2147483647;
    return state / 2147483647;
  };
  const panel: Panel = { labels: [], a: [], b: [], optimal: [] };
  for (let i = 0; i < rows; i++) {
    const label = u() < positiveRate ? 1 : 0;
    const a = Math.floor(20 * u()) + 6 * label;
    const b = Math.floor(20 * u()) + 4 * label + Math.floor(a / 4);
    const optimal = Math.floor(16 * u()) + 8 * label;
    panel.labels.push(label);
    panel.a.push(a);
    panel.b.push(b);
    panel.optimal.push(optimal);
  }
  return panel;
}
