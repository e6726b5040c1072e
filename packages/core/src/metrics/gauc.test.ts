import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { auc } from './auc.js';
import { gauc } from './gauc.js';

describe('gauc', () => {
  it('weights group AUCs by rows and skips single-class groups (by hand)', () => {
    // group 42:      scores .9 .2 .6, labels 1 0 0      → AUC 1,     3 rows
    // group -7:      scores .3 .7 .5 .5, labels 1 0 1 0 → (0 + 0 + 0 + 0.5) / 4 = 0.125, 4 rows
    // group 1000000: scores .1 .8, labels 1 1           → single class, skipped
    // GAUC = (3·1 + 4·0.125) / 7 = 0.5
    const rows: [number, number, number][] = [
      [42, 0.9, 1],
      [-7, 0.3, 1],
      [1_000_000, 0.1, 1],
      [42, 0.2, 0],
      [-7, 0.7, 0],
      [-7, 0.5, 1],
      [1_000_000, 0.8, 1],
      [42, 0.6, 0],
      [-7, 0.5, 0],
    ];
    const r = gauc(
      rows.map((x) => x[1]),
      rows.map((x) => x[2]),
      Int32Array.from(rows.map((x) => x[0])),
    );
    expect(r).toEqual({ gauc: 0.5, groupsCounted: 2, groupsTotal: 3, rowsCounted: 7 });
  });

  it('is undefined when no group has both classes', () => {
    const r = gauc([0.1, 0.2, 0.3], [1, 0, 1], [1, 2, 3]);
    expect(r.gauc).toBeUndefined();
    expect(r.groupsCounted).toBe(0);
    expect(gauc([], [], []).gauc).toBeUndefined();
  });

  it('equals the AUC when there is one group', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ s: fc.integer({ min: 0, max: 5 }), y: fc.constantFrom(0, 1) }), { maxLength: 40 }), (rows) => {
        const s = rows.map((r) => r.s);
        const y = rows.map((r) => r.y);
        const a = auc(s, y);
        const g = gauc(s, y, new Int32Array(rows.length)).gauc;
        return a === undefined ? g === undefined : Math.abs(g! - a) < 1e-12;
      }),
    );
  });

  it('equals the row-weighted mean of per-group AUCs', () => {
    const row = fc.record({ g: fc.integer({ min: 0, max: 4 }), s: fc.integer({ min: 0, max: 6 }), y: fc.constantFrom(0, 1) });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 60 }), (rows) => {
        let num = 0;
        let den = 0;
        for (let g = 0; g <= 4; g++) {
          const sub = rows.filter((r) => r.g === g);
          const a = auc(
            sub.map((r) => r.s),
            sub.map((r) => r.y),
          );
          if (a === undefined) continue;
          num += sub.length * a;
          den += sub.length;
        }
        const got = gauc(
          rows.map((r) => r.s),
          rows.map((r) => r.y),
          rows.map((r) => r.g),
        ).gauc;
        return den === 0 ? got === undefined : Math.abs(got! - num / den) < 1e-12;
      }),
    );
  });

  it('throws on mismatched lengths and bad labels', () => {
    expect(() => gauc([0.1], [1], [1, 2])).toThrow(/same length/);
    expect(() => gauc([0.1, 0.2], [1, NaN], [1, 1])).toThrow(/labels\[1\] is NaN/);
  });
});
