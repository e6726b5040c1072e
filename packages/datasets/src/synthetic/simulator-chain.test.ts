import { describe, expect, it } from 'vitest';
import { DatasetError, loadDataset, simulate, taskMask } from '../index.js';

const CHAIN = {
  trainRows: 30_000,
  validationRows: 1_000,
  testRows: 30_000,
  conversionRates: { cart: 0.12, favorite: 0.08, purchase: 0.3 },
  conversionParents: { purchase: 'cart' },
};

function rate(labels: ArrayLike<number>, mask: ArrayLike<number>): number {
  let positives = 0;
  let rows = 0;
  for (let i = 0; i < labels.length; i++) {
    if (mask[i] !== 1) continue;
    rows++;
    positives += labels[i]!;
  }
  return positives / rows;
}

describe('simulator: the sequential pattern (conversionParents)', () => {
  it('a chained conversion happens only after its parent, at its rate given the parent', () => {
    const sim = simulate(CHAIN);
    const columns = sim.columns;
    const at = (name: string) => columns.indexOf(name);
    const rows = sim.splits.train.rows;
    const cart = rows.map((r) => Number(r[at('cart')]));
    const purchase = rows.map((r) => Number(r[at('purchase')]));
    const click = rows.map((r) => Number(r[at('click')]));
    expect(purchase.every((p, i) => p === 0 || cart[i] === 1)).toBe(true);
    expect(cart.every((c, i) => c === 0 || click[i] === 1)).toBe(true);
    // Rates in each conversion's own sample space match the options (calibrated on another sample: within noise).
    expect(rate(cart, click)).toBeCloseTo(0.12, 1);
    expect(rate(purchase, cart)).toBeGreaterThan(0.24);
    expect(rate(purchase, cart)).toBeLessThan(0.36);
  });

  it('without parents the rows are exactly those of the parallel simulator (same draws)', () => {
    const parallel = { ...CHAIN, conversionParents: undefined };
    expect(simulate(parallel).splits.validation.rows).toEqual(simulate({ ...parallel, conversionParents: {} }).splits.validation.rows);
  });

  it('task set ektm puts the chained task in its parent’s space, with its true probability and optimal AUC', async () => {
    const data = await loadDataset('synthetic', { simulator: CHAIN });
    expect(data.tasks.map((t) => [t.name, t.parent])).toEqual([
      ['click', undefined],
      ['cart', 'click'],
      ['favorite', 'click'],
      ['purchase', 'cart'],
    ]);
    const test = data.splits.test!;
    const mask = taskMask(test, data.tasks, 'purchase');
    expect(Array.from(mask).every((m, i) => m === 0 || test.labels.cart![i] === 1)).toBe(true);
    expect(data.optimalAuc!.test!.purchase).toBeGreaterThan(0.7);
    // ESMM's funnel uses the first conversion that follows the click.
    const esmm = await loadDataset('synthetic', { simulator: CHAIN, taskSet: 'esmm' });
    expect(Array.from(esmm.splits.test!.labels.cvr!)).toEqual(Array.from(test.labels.cart!));
  });

  it('refuses a parent that is unknown or not listed before its child', () => {
    expect(() => simulate({ ...CHAIN, conversionParents: { purchase: 'basket' } })).toThrow(
      /conversionParents\.purchase.*must name a conversion type listed before "purchase"/,
    );
    expect(() => simulate({ ...CHAIN, conversionParents: { cart: 'purchase' } })).toThrow(/listed before "cart"/);
    expect(() => simulate({ ...CHAIN, conversionParents: { basket: 'cart' } })).toThrow(
      /conversionParents\.basket.*names no conversion type/,
    );
    expect(() => simulate({ ...CHAIN, conversionParents: { basket: 'cart' } })).toThrow(DatasetError);
  });
});
