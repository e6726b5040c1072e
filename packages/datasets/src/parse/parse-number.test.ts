import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseDecimal } from '../index.js';

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

describe('parseDecimal', () => {
  it('reads plain decimals and refuses what Number() would misread', () => {
    expect([
      parseDecimal('0'),
      parseDecimal('-1.5'),
      parseDecimal('.5'),
      parseDecimal('5.'),
      parseDecimal('1e-3'),
      parseDecimal('+2E2'),
    ]).toEqual([0, -1.5, 0.5, 5, 0.001, 200]);
    for (const bad of ['', ' ', '-', '.', 'e5', '1e', '0x1f', '1,5', 'Infinity', 'NaN', '1e400', '12abc', '1 2'])
      expect(parseDecimal(bad)).toBeNaN();
  });

  it('property: every finite double round-trips through its text', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        expect(parseDecimal(String(x))).toBe(x === 0 ? 0 : x);
      }),
      { numRuns: 5000 },
    );
  });

  it('property: any text is either a decimal that Number() agrees with, or NaN', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 12 }), fc.stringMatching(/^[-+]?[0-9.eE+-]{0,8}$/)), (text) => {
        const value = parseDecimal(text);
        if (Number.isNaN(value)) expect(DECIMAL.test(text) && Number.isFinite(Number(text))).toBe(false);
        else {
          expect(DECIMAL.test(text)).toBe(true);
          expect(value).toBe(Number(text));
        }
      }),
      { numRuns: 5000 },
    );
  });
});
