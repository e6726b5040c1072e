/** O(m·n) reference implementations, straight from the definitions, for the property tests. */

/** AUC by counting every positive–negative pair, ties one half. */
export function bruteForceAuc(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  let pairs = 0;
  let wins = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] !== 1) continue;
    for (let j = 0; j < labels.length; j++) {
      if (labels[j] !== 0) continue;
      pairs++;
      if (scores[i]! > scores[j]!) wins += 1;
      else if (scores[i] === scores[j]) wins += 0.5;
    }
  }
  return wins / pairs;
}

/** DeLong's components by pair counting: V10 per positive, V01 per negative, in row order. */
export function bruteForceComponents(labels: ArrayLike<number>, scores: ArrayLike<number>): { v10: number[]; v01: number[] } {
  const pos: number[] = [];
  const neg: number[] = [];
  for (let i = 0; i < labels.length; i++) (labels[i] === 1 ? pos : neg).push(scores[i]!);
  const psi = (x: number, y: number) => (x > y ? 1 : x === y ? 0.5 : 0);
  return {
    v10: pos.map((x) => neg.reduce((s, y) => s + psi(x, y), 0) / neg.length),
    v01: neg.map((y) => pos.reduce((s, x) => s + psi(x, y), 0) / pos.length),
  };
}

/** Sample variance (n − 1). */
export function variance(values: number[]): number {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  return values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1);
}
