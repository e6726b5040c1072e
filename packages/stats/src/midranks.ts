/**
 * Midranks: the 1-based rank of each value in ascending order, tied values sharing the mean of the ranks they
 * span (so [0.3, 0.1, 0.3] → [2.5, 1, 2.5]). The Mann–Whitney form of the AUC, and Sun & Xu's (2014) fast
 * DeLong components, are differences of midranks: that is how ties count one half.
 *
 * O(n log n): the values are sorted once through a typed index array. NaN has no rank and is rejected.
 */
export function midranks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const v = Float64Array.from(values);
  for (let i = 0; i < n; i++) if (Number.isNaN(v[i]!)) throw new RangeError(`midranks: values[${i}] is NaN; NaN has no rank`);
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => v[a]! - v[b]! || a - b);
  const ranks = new Float64Array(n);
  let i = 0;
  while (i < n) {
    let j = i + 1;
    while (j < n && v[order[j]!] === v[order[i]!]) j++;
    // Positions i..j-1 (0-based) hold ranks i+1..j; their mean is (i + 1 + j) / 2.
    const rank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) ranks[order[k]!] = rank;
    i = j;
  }
  return ranks;
}
