import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveTasks } from '../tasks/task-spec.js';
import { auc } from './auc.js';
import { TaskMetricsAccumulator, evaluateTasks } from './task-metrics.js';

const f32 = (xs: number[]) => Float32Array.from(xs);

// ESMM-shaped tasks: label names differ from task names on purpose.
const tasks = resolveTasks([
  { name: 'ctr', label: 'click' },
  { name: 'cvr', label: 'conversion', parent: 'ctr' },
  { name: 'ctcvr', label: 'purchase', product: ['ctr', 'cvr'] },
]);

const pCtr = [0.9, 0.8, 0.7, 0.3, 0.4, 0.2, 0.1, 0.6];
const pCvr = [0.6, 0.7, 0.5, 0.2, 0.9, 0.1, 0.8, 0.3];
const click = [1, 1, 1, 1, 0, 0, 0, 0];
const conversion = [1, 0, 1, 0, 0, 0, NaN, 0]; // row 6: conversion label missing
const purchase = [1, 0, 1, 0, 0, 0, 0, 0];
const predictions = () => ({ ctr: f32(pCtr), cvr: f32(pCvr), ctcvr: f32(pCtr.map((p, i) => p * pCvr[i]!)) });
const labels = () => ({ click: f32(click), conversion: f32(conversion), purchase: f32(purchase) });

describe('TaskMetricsAccumulator sample spaces', () => {
  const r = evaluateTasks(tasks, predictions(), labels());

  it('scores CTR over every row (by hand: 14 of 16 pairs)', () => {
    expect(r.ctr).toMatchObject({ space: 'entire', count: 8, positives: 4, auc: 0.875 });
    expect(r.ctr!.entireSpaceAuc).toBeUndefined();
    expect('entireSpaceAuc' in r.ctr!).toBe(false);
  });

  it('scores CVR only over clicked rows (by hand: 2 of 4 pairs)', () => {
    // clicked rows: pCVR .6 .7 .5 .2, conversion 1 0 1 0
    expect(r.cvr).toMatchObject({ space: 'parent', count: 4, positives: 2, auc: 0.5, positiveRate: 0.5 });
    expect(r.cvr!.meanPrediction).toBeCloseTo(0.5, 6);
    expect(r.cvr!.calibration).toBeCloseTo(1, 6);
    const expectedLoss = -(Math.log(0.6) + Math.log(1 - 0.7) + Math.log(0.5) + Math.log(1 - 0.2)) / 4;
    expect(r.cvr!.logloss).toBeCloseTo(expectedLoss, 6);
  });

  it('reports CVR entire-space AUC over rows whose conversion label is present (missing one masked)', () => {
    // 7 rows (row 6 masked): positives .6 .5 each beat .2 .1 .3 of negatives .7 .2 .9 .1 .3 → 6 / 10
    expect(r.cvr!.entireSpaceAuc).toBeCloseTo(0.6, 12);
    expect(r.cvr!.entireSpaceCount).toBe(7);
  });

  it('scores the product task over the entire space (by hand: 9 of 12 pairs)', () => {
    expect(r.ctcvr).toMatchObject({ space: 'entire', count: 8, positives: 2, auc: 0.75 });
  });

  it('gives CTR and CVR different AUCs (each task reads its own output and label)', () => {
    expect(r.ctr!.auc).not.toBe(r.cvr!.auc);
    expect(Object.keys(r)).toEqual(['ctr', 'cvr', 'ctcvr']);
  });

  it('leaves out rows whose parent label is missing or not exactly 1', () => {
    const acc = new TaskMetricsAccumulator(tasks);
    acc.add(
      { ctr: f32([0.9, 0.8, 0.7, 0.6]), cvr: f32([0.9, 0.1, 0.8, 0.2]), ctcvr: f32([0, 0, 0, 0]) },
      { click: f32([1, NaN, 1, 0]), conversion: f32([1, 0, 0, 0]), purchase: f32([1, 0, 0, 0]) },
    );
    const res = acc.result();
    expect(res.ctr!.count).toBe(3); // row 1 has no click label
    expect(res.cvr).toMatchObject({ count: 2, positives: 1, auc: 1 }); // rows 0 and 2
    expect(res.cvr!.entireSpaceCount).toBe(4);
  });

  it('keeps metrics undefined, not NaN, when a space has a single class or no rows', () => {
    const acc = new TaskMetricsAccumulator(tasks);
    acc.add(
      { ctr: f32([0.2, 0.3]), cvr: f32([0.5, 0.5]), ctcvr: f32([0.1, 0.1]) },
      { click: f32([0, 0]), conversion: f32([0, 0]), purchase: f32([0, 0]) },
    );
    const res = acc.result();
    expect(res.ctr).toMatchObject({ auc: undefined, calibration: undefined, positiveRate: 0, count: 2 });
    expect(res.cvr).toMatchObject({ count: 0, auc: undefined, logloss: undefined, meanPrediction: undefined, entireSpaceAuc: undefined });
  });
});

describe('TaskMetricsAccumulator groups, regression tasks and errors', () => {
  it('reports GAUC only when groups are given, in the task space', () => {
    const withGroups = evaluateTasks(tasks, predictions(), labels(), Int32Array.from([1, 1, 2, 2, 1, 2, 3, 3]));
    // ctr group 1: rows 0,1,4 (.9 .8 | .4) → 1; group 2: rows 2,3,5 (.7 .3 | .2) → 1; group 3: single class
    expect(withGroups.ctr).toMatchObject({ gauc: 1, gaucGroups: 2 });
    // cvr space rows 0..3: group 1 (.6+ .7-) → 0, group 2 (.5+ .2-) → 1 → (2·0 + 2·1) / 4
    expect(withGroups.cvr).toMatchObject({ gauc: 0.5, gaucGroups: 2 });
    const without = evaluateTasks(tasks, predictions(), labels());
    expect('gauc' in without.ctr!).toBe(false);
  });

  it('computes MSE, not AUC, for an mse task', () => {
    const r = evaluateTasks(resolveTasks([{ name: 'dwell', loss: 'mse' }]), { dwell: f32([1, 2, 4]) }, { dwell: f32([1, 3, NaN]) });
    expect(r.dwell).toMatchObject({ count: 2, auc: undefined, logloss: undefined, mse: 0.5, meanPrediction: 1.5, positiveRate: 2 });
  });

  it('throws errors naming the task and what the batch has', () => {
    const acc = new TaskMetricsAccumulator(tasks);
    const { cvr: _drop, ...noCvr } = predictions();
    expect(() => acc.add(noCvr, labels())).toThrow(/no predictions "cvr".*"ctr", "ctcvr"/);
    const { purchase: _p, ...noPurchase } = labels();
    expect(() => acc.add(predictions(), noPurchase)).toThrow(/no labels "purchase" for task "ctcvr"/);
    expect(() => acc.add({ ...predictions(), cvr: f32([0.5]) }, labels())).toThrow(/task "cvr" has 1 predictions for 8 rows/);
    expect(() => acc.add(predictions(), { ...labels(), click: f32([1, 0, 2, 0, 0, 0, 0, 0]) })).toThrow(
      /task "ctr" label "click"\[2\] is 2/,
    );
    expect(() => acc.add({ ...predictions(), ctr: f32([NaN, 0, 0, 0, 0, 0, 0, 0]) }, labels())).toThrow(/"ctr" prediction \[0\] is NaN/);
    expect(acc.rows).toBe(0); // failed adds store nothing
    acc.add(predictions(), labels());
    expect(() => acc.add(predictions(), labels(), new Int32Array(8))).toThrow(/every batch or none/);
    expect(acc.result()).toEqual(evaluateTasks(tasks, predictions(), labels()));
  });

  it('reset forgets rows and the groups choice', () => {
    const acc = new TaskMetricsAccumulator(tasks);
    acc.add(predictions(), labels(), new Int32Array(8));
    acc.reset();
    acc.add(predictions(), labels());
    expect(acc.result()).toEqual(evaluateTasks(tasks, predictions(), labels()));
  });
});

describe('TaskMetricsAccumulator streaming', () => {
  function randomData(n: number, seed: number) {
    let s = seed >>> 0;
    const rand = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    const p = { ctr: new Float32Array(n), cvr: new Float32Array(n), ctcvr: new Float32Array(n) };
    const l = { click: new Float32Array(n), conversion: new Float32Array(n), purchase: new Float32Array(n) };
    const g = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      l.click[i] = rand() < 0.3 ? 1 : rand() < 0.05 ? NaN : 0;
      l.conversion[i] = rand() < 0.1 ? NaN : rand() < 0.4 ? 1 : 0;
      l.purchase[i] = l.click[i] === 1 && l.conversion[i] === 1 ? 1 : 0;
      p.ctr[i] = Math.round(rand() * 20) / 20;
      p.cvr[i] = Math.round(rand() * 20) / 20;
      p.ctcvr[i] = p.ctr[i]! * p.cvr[i]!;
      g[i] = Math.floor(rand() * 15);
    }
    return { p, l, g };
  }

  it('several batches give exactly the result of one batch', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 }), fc.array(fc.integer({ min: 0, max: 400 }), { maxLength: 6 }), (seed, cuts) => {
        const n = 400;
        const { p, l, g } = randomData(n, seed);
        const whole = evaluateTasks(tasks, p, l, g);
        const acc = new TaskMetricsAccumulator(tasks);
        const bounds = [0, ...cuts.sort((a, b) => a - b), n];
        for (let b = 0; b + 1 < bounds.length; b++) {
          const [lo, hi] = [bounds[b]!, bounds[b + 1]!];
          const sub = <T extends Float32Array | Int32Array>(a: T) => a.slice(lo, hi) as T;
          acc.add(
            { ctr: sub(p.ctr), cvr: sub(p.cvr), ctcvr: sub(p.ctcvr) },
            { click: sub(l.click), conversion: sub(l.conversion), purchase: sub(l.purchase) },
            sub(g),
          );
        }
        expect(acc.rows).toBe(n);
        expect(acc.result()).toEqual(whole);
      }),
      { numRuns: 40 },
    );
  });

  it('agrees with masking by hand and calling auc directly', () => {
    const { p, l } = randomData(2000, 7);
    const r = evaluateTasks(tasks, p, l);
    const idx = [...l.click.keys()].filter((i) => l.click[i] === 1 && !Number.isNaN(l.conversion[i]!));
    expect(r.cvr!.count).toBe(idx.length);
    expect(r.cvr!.auc).toBe(
      auc(
        idx.map((i) => p.cvr[i]!),
        idx.map((i) => l.conversion[i]!),
      ),
    );
    const all = [...l.conversion.keys()].filter((i) => !Number.isNaN(l.conversion[i]!));
    expect(r.cvr!.entireSpaceAuc).toBe(
      auc(
        all.map((i) => p.cvr[i]!),
        all.map((i) => l.conversion[i]!),
      ),
    );
  });
});

describe('TaskMetricsAccumulator parent chains', () => {
  const chain = resolveTasks([{ name: 'click' }, { name: 'cart', parent: 'click' }, { name: 'buy', parent: 'cart' }]);

  it('requires every ancestor label to be 1, as the loss mask does', () => {
    // row 2 has cart = 1 but click = 0 (inconsistent data): not in buy's space
    const r = evaluateTasks(
      chain,
      { click: f32([0.9, 0.8, 0.7, 0.2]), cart: f32([0.6, 0.5, 0.4, 0.3]), buy: f32([0.9, 0.2, 0.8, 0.1]) },
      { click: f32([1, 1, 0, 0]), cart: f32([1, 1, 1, 0]), buy: f32([1, 0, 1, 0]) },
    );
    expect(r.cart).toMatchObject({ space: 'parent', count: 2 });
    expect(r.buy).toMatchObject({ space: 'parent', count: 2, positives: 1, auc: 1, entireSpaceCount: 4 });
  });

  it('names the missing ancestor label', () => {
    const acc = new TaskMetricsAccumulator(chain);
    expect(() => acc.add({ click: f32([0.5]), cart: f32([0.5]), buy: f32([0.5]) }, { cart: f32([1]), buy: f32([1]) })).toThrow(
      /no labels "click" for task "click"/,
    );
  });
});
