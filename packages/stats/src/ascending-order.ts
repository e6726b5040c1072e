/**
 * The permutation that sorts float64 values ascending (an argsort), by an LSD radix sort of their bit patterns.
 *
 * Why not `indices.sort((a, b) => v[a] - v[b])`: a comparator sort of a million indices takes seconds in V8,
 * and binary searches into a sorted copy miss the cache on every step; this takes tens of milliseconds and is
 * what keeps DeLong's test on a million rows well under a second. Exact: it orders the IEEE-754 bit patterns,
 * mapped so that unsigned order is numeric order (negative values: all bits flipped; others: the sign bit set),
 * six passes of 11, 11 and 10 bits per 32-bit half; a pass in which every value has the same digit (the low
 * mantissa bits of float32 scores, say) is skipped. Stable, so ties keep their input order. −0 sorts just before
 * +0 (they are adjacent, and callers compare with ===, which ties them). NaN must be removed beforehand.
 */
export function ascendingOrder(values: Float64Array): Uint32Array {
  const n = values.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  if (n < 2) return order;
  if (!littleEndian) return order.sort((a, b) => values[a]! - values[b]! || a - b);
  const words = new Uint32Array(values.buffer, values.byteOffset, 2 * n);
  let lo = new Uint32Array(n);
  let hi = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const h = words[2 * i + 1]!;
    if (h & 0x80000000) {
      hi[i] = ~h >>> 0;
      lo[i] = ~words[2 * i]! >>> 0;
    } else {
      hi[i] = (h | 0x80000000) >>> 0;
      lo[i] = words[2 * i]!;
    }
  }
  // Digit d of a key: bits [SHIFT[d], SHIFT[d] + WIDTH[d]) of the low (d < 3) or high (d ≥ 3) word.
  const counts = new Uint32Array(6 * RADIX);
  for (let i = 0; i < n; i++) {
    const l = lo[i]!;
    const h = hi[i]!;
    counts[l & 0x7ff]!++;
    counts[RADIX + ((l >>> 11) & 0x7ff)]!++;
    counts[2 * RADIX + (l >>> 22)]!++;
    counts[3 * RADIX + (h & 0x7ff)]!++;
    counts[4 * RADIX + ((h >>> 11) & 0x7ff)]!++;
    counts[5 * RADIX + (h >>> 22)]!++;
  }
  let loNext = new Uint32Array(n);
  let hiNext = new Uint32Array(n);
  let orderIn = order;
  let orderNext = new Uint32Array(n);
  const start = new Uint32Array(RADIX);
  for (let d = 0; d < 6; d++) {
    const base = d * RADIX;
    let sum = 0;
    let skip = false;
    for (let b = 0; b < RADIX; b++) {
      const c = counts[base + b]!;
      if (c === n) skip = true;
      start[b] = sum;
      sum += c;
    }
    if (skip) continue;
    const shift = SHIFT[d]!;
    const source = d < 3 ? lo : hi;
    for (let i = 0; i < n; i++) {
      const digit = (source[i]! >>> shift) & 0x7ff;
      const to = start[digit]!++;
      loNext[to] = lo[i]!;
      hiNext[to] = hi[i]!;
      orderNext[to] = orderIn[i]!;
    }
    [lo, loNext] = [loNext, lo];
    [hi, hiNext] = [hiNext, hi];
    [orderIn, orderNext] = [orderNext, orderIn];
  }
  return orderIn;
}

const RADIX = 2048;
const SHIFT = [0, 11, 22, 0, 11, 22];
const littleEndian = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;
