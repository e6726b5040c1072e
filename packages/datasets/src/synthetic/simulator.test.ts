import { describe, expect, it } from 'vitest';
import { auc } from '@ektm/core';
import { loadDataset, simulate, taskMask } from '../index.js';
import type { EncodedTable } from '@ektm/core';
import type { LoadedDataset } from '../index.js';

function mean(values: ArrayLike<number>, mask?: ArrayLike<number>): number {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    if (mask && mask[i] !== 1) continue;
    sum += values[i]!;
    n++;
  }
  return sum / n;
}

/** A model-free baseline: the train positive rate of each item (column `item_id`), within the task's sample space. */
function itemRateScores(data: LoadedDataset, task: string, table: EncodedTable): Float64Array {
  const column = data.features.findIndex((f) => f.name === 'item_id');
  const train = data.splits.train;
  const trainMask = taskMask(train, data.tasks, task);
  const positives = new Map<number, number>();
  const counts = new Map<number, number>();
  for (let r = 0; r < train.rows; r++) {
    if (trainMask[r] !== 1) continue;
    const item = train.categorical[r * train.categoricalCount + column]!;
    counts.set(item, (counts.get(item) ?? 0) + 1);
    positives.set(item, (positives.get(item) ?? 0) + train.labels[task]![r]!);
  }
  const prior = mean(train.labels[task]!, trainMask);
  return Float64Array.from({ length: table.rows }, (_, r) => {
    const item = table.categorical[r * table.categoricalCount + column]!;
    return ((positives.get(item) ?? 0) + 10 * prior) / ((counts.get(item) ?? 0) + 10);
  });
}

function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const ma = mean(a);
  const mb = mean(b);
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += (a[i]! - ma) * (b[i]! - mb);
    aa += (a[i]! - ma) ** 2;
    bb += (b[i]! - mb) ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}

const logit = (p: number) => Math.log(p / (1 - p));

describe('synthetic: the seeded simulator of both EKTM patterns', () => {
  let defaultLoad: Promise<LoadedDataset> | undefined;
  const loadDefault = () => (defaultLoad ??= loadDataset('synthetic'));

  it('is the default dataset size, loads in seconds, and has the parallel pattern (task set ektm)', async () => {
    const started = performance.now();
    const data = await loadDefault();
    console.info(`synthetic (default, ${data.splits.train.rows} train rows) in ${((performance.now() - started) / 1000).toFixed(2)} s`);
    expect([data.splits.train.rows, data.splits.validation.rows, data.splits.test!.rows]).toEqual([50_000, 10_000, 20_000]);
    expect(data.taskSet).toBe('ektm');
    expect(data.tasks).toEqual([
      { name: 'click' },
      { name: 'purchase', parent: 'click' },
      { name: 'cart', parent: 'click' },
      { name: 'favorite', parent: 'click' },
    ]);
    expect(data.features.map((f) => f.name)).toEqual([
      'user_id',
      'user_segment',
      'item_id',
      'item_category',
      'item_brand',
      'hour',
      'device',
      'position',
      'user_activity',
      'item_price',
    ]);
    expect(data.groupColumn).toBe('user_id');
    const train = data.splits.train;
    const clicks = taskMask(train, data.tasks, 'purchase');
    expect(mean(train.labels.click!)).toBeCloseTo(0.15, 1);
    expect(Math.abs(mean(train.labels.click!) - 0.15)).toBeLessThan(0.01);
    expect(Math.abs(mean(train.labels.purchase!, clicks) - 0.06)).toBeLessThan(0.012);
    expect(Math.abs(mean(train.labels.cart!, clicks) - 0.15)).toBeLessThan(0.02);
    expect(Math.abs(mean(train.labels.favorite!, clicks) - 0.1)).toBeLessThan(0.015);
    // A conversion never happens without a click.
    for (let r = 0; r < train.rows; r++) if (train.labels.click![r] === 0) expect(train.labels.purchase![r]).toBe(0);
  });

  it('knows the best possible AUC, and it beats a model-free baseline (item popularity) on test', async () => {
    const data = await loadDefault();
    const test = data.splits.test!;
    for (const task of ['click', 'purchase', 'cart', 'favorite']) {
      const optimal = data.optimalAuc!.test![task]!;
      const space = taskMask(test, data.tasks, task);
      const inSpace = (values: ArrayLike<number>) => Array.from(values).filter((_, i) => space[i] === 1);
      const baseline = auc(inSpace(itemRateScores(data, task, test)), inSpace(test.labels[task]!))!;
      expect(optimal).toBeGreaterThan(0.7);
      expect(optimal).toBeGreaterThan(baseline + 0.03);
      expect(optimal).toBeLessThan(1);
      // The true probabilities are well calibrated: their mean matches the label rate in the task's space.
      const mask = taskMask(test, data.tasks, task);
      expect(Math.abs(mean(data.trueProbabilities!.test![task]!, mask) - mean(test.labels[task]!, mask))).toBeLessThan(0.015);
    }
  });

  it('has the sequential pattern (task set esmm): click, cvr in the clicked space, ctcvr = click x cvr', async () => {
    const data = await loadDataset('synthetic', {
      taskSet: 'esmm',
      simulator: { trainRows: 20_000, validationRows: 2_000, testRows: 5_000 },
    });
    expect(data.tasks).toEqual([{ name: 'click' }, { name: 'cvr', parent: 'click' }, { name: 'ctcvr', product: ['click', 'cvr'] }]);
    const test = data.splits.test!;
    for (let r = 0; r < test.rows; r++) expect(test.labels.ctcvr![r]).toBe(test.labels.click![r]! * test.labels.cvr![r]!);
    const truth = data.trueProbabilities!.test!;
    expect(truth.ctcvr![7]).toBeCloseTo(truth.click![7]! * truth.cvr![7]!, 6);
    expect(data.optimalAuc!.test!.ctcvr).toBeGreaterThan(0.75);
  });

  it('is deterministic per seed', async () => {
    const small = { trainRows: 3000, validationRows: 500, testRows: 500 };
    const a = await loadDataset('synthetic', { simulator: { ...small, seed: 7 } });
    const b = await loadDataset('synthetic', { simulator: { ...small, seed: 7 } });
    const c = await loadDataset('synthetic', { simulator: { ...small, seed: 8 } });
    expect(Array.from(a.splits.train.categorical)).toEqual(Array.from(b.splits.train.categorical));
    expect(Array.from(a.splits.test!.labels.purchase!)).toEqual(Array.from(b.splits.test!.labels.purchase!));
    expect(a.optimalAuc).toEqual(b.optimalAuc);
    expect(Array.from(a.splits.train.categorical)).not.toEqual(Array.from(c.splits.train.categorical));
  });

  it('controls label sparsity and the relatedness between conversion types', () => {
    const base = { trainRows: 20_000, validationRows: 10, testRows: 10, seed: 3 };
    const sparse = simulate({ ...base, clickRate: 0.05, conversionRates: { buy: 0.02, share: 0.02 } });
    const labels = sparse.splits.train.rows.map((row) => row.slice(-3).map(Number));
    expect(sparse.columns.slice(-3)).toEqual(['click', 'buy', 'share']);
    expect(Math.abs(mean(labels.map((l) => l[0]!)) - 0.05)).toBeLessThan(0.006);
    const related = (relatedness: number) => {
      const s = simulate({ ...base, relatedness, clickInfluence: 0 });
      const p = s.splits.train.conversionProbability;
      return pearson(Array.from(p.purchase!, logit), Array.from(p.cart!, logit));
    };
    const unrelated = related(0);
    const half = related(0.5);
    const same = related(1);
    expect(Math.abs(unrelated)).toBeLessThan(0.3);
    expect(half).toBeGreaterThan(unrelated + 0.15);
    expect(same).toBeGreaterThan(0.85);
  });

  it('rejects bad options with the key', async () => {
    await expect(loadDataset('synthetic', { simulator: { relatedness: 2 } })).rejects.toThrow(
      'simulator.relatedness: must be between 0 and 1, not 2',
    );
    await expect(loadDataset('synthetic', { simulator: { conversionRates: { click: 0.1 } } })).rejects.toThrow(
      /simulator\.conversionRates\.click/,
    );
  });
});
