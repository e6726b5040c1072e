import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ascendingOrder } from './ascending-order.js';

const reference = (values: Float64Array) =>
  Array.from(values.keys()).sort((a, b) => (values[a]! < values[b]! ? -1 : values[a]! > values[b]! ? 1 : a - b));

describe('ascendingOrder', () => {
  it('sorts any doubles like a stable comparator sort, ±0 tied and ±Infinity at the ends', () => {
    const double = fc.oneof(
      fc.double({ noNaN: true }),
      fc.constantFrom(0, -0, Infinity, -Infinity, Number.MIN_VALUE, -Number.MIN_VALUE, 1, -1),
      fc.integer({ min: -3, max: 3 }),
    );
    fc.assert(
      fc.property(fc.array(double, { maxLength: 200 }), (list) => {
        const values = Float64Array.from(list);
        const order = Array.from(ascendingOrder(values));
        // Same multiset of positions, ascending values, and ties (by ===) in input order.
        expect([...order].sort((a, b) => a - b)).toEqual(Array.from(values.keys()));
        for (let k = 1; k < order.length; k++) {
          const prev = values[order[k - 1]!]!;
          const cur = values[order[k]!]!;
          expect(prev <= cur).toBe(true);
          if (Object.is(prev, cur)) expect(order[k - 1]! < order[k]!).toBe(true);
        }
        // Values read in that order equal the reference order's values (±0 compare equal).
        const ref = reference(values);
        order.forEach((row, k) => expect(values[row] === values[ref[k]!]).toBe(true));
      }),
    );
  });

  it('sorts a large float32-valued input (passes with a single digit skipped) and a subarray view', () => {
    const n = 50_000;
    const values = new Float64Array(n + 3).subarray(3);
    let state = 12345;
    for (let i = 0; i < n; i++) {
      state = (48271 * state) % 2147483647;
      values[i] = Math.fround(state / 2147483647 - 0.5);
    }
    const order = ascendingOrder(values);
    let sorted = true;
    for (let k = 1; k < n; k++) sorted &&= values[order[k - 1]!]! <= values[order[k]!]!;
    expect(sorted).toBe(true);
    expect(new Set(order).size).toBe(n);
  });
});
