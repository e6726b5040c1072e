import { describe, expect, it } from 'vitest';
import { resolveFunnel } from './funnel.js';

describe('resolveFunnel', () => {
  it("takes explicit names and the tasks' labels", () => {
    expect(resolveFunnel([{ name: 'click' }, { name: 'buy', label: 'purchase' }], { click: 'click', conversion: 'buy' }, 'esmm')).toEqual({
      click: 'click',
      clickLabel: 'click',
      conversion: 'buy',
      conversionLabel: 'purchase',
    });
  });

  it('finds an ESMM-shaped task set (the product task carries the entire-space conversion label)', () => {
    const tasks = [{ name: 'click' }, { name: 'cvr', parent: 'click' }, { name: 'ctcvr', product: ['click', 'cvr'] }];
    expect(resolveFunnel(tasks, {}, 'esmm')).toEqual({
      click: 'click',
      clickLabel: 'click',
      conversion: 'ctcvr',
      conversionLabel: 'ctcvr',
    });
  });

  it('finds the single task that follows a click', () => {
    expect(resolveFunnel([{ name: 'click' }, { name: 'purchase', parent: 'click' }], {}, 'aitm').conversion).toBe('purchase');
    const several = [{ name: 'click' }, { name: 'purchase', parent: 'click' }, { name: 'cart', parent: 'click' }];
    expect(resolveFunnel(several, { conversion: 'cart' }, 'esmm').conversion).toBe('cart');
  });

  it('throws a clear error on a task set that is not a funnel', () => {
    expect(() => resolveFunnel([{ name: 'income' }, { name: 'marital' }], {}, 'esmm')).toThrow(
      /esmm models a click → conversion funnel, but no task follows another .* tasks income, marital; pass \{ click, conversion \}/,
    );
    const several = [{ name: 'click' }, { name: 'purchase', parent: 'click' }, { name: 'cart', parent: 'click' }];
    expect(() => resolveFunnel(several, {}, 'escm2')).toThrow(/several tasks follow a click \(purchase, cart\)/);
    expect(() => resolveFunnel([{ name: 'a' }], { click: 'x' }, 'esmm')).toThrow(/esmm.click: "x" is not a task/);
    expect(() => resolveFunnel([{ name: 'a' }], { click: 'a', conversion: 'a' }, 'esmm')).toThrow(/two different tasks/);
  });
});
