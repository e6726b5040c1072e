import { describe, expect, it } from 'vitest';
import { delongTestOfTaskMean } from './delong-test-of-task-mean.js';
import { delongTest } from './delong-test.js';
import { delongTestAcrossSeeds } from './delong-test-across-seeds.js';
import { minstdPanel } from '../test/minstd-panel.js';
import { delongAuc } from './delong-auc.js';

/** Seed-dependent deterministic noise on a model's scores. */
function seeds(scores: number[], k: number, salt: number): number[][] {
  return Array.from({ length: k }, (_, s) => scores.map((x, i) => x + (((i * 7919 + s * 104729 + salt) % 13) - 6) / 4));
}

describe('delongTestOfTaskMean', () => {
  const p = minstdPanel(400, 4242, 0.35);

  it('with one task and one seed is delongTest', () => {
    const mean = delongTestOfTaskMean([{ labels: p.labels, scoresA: [p.a], scoresB: [p.b] }]);
    const single = delongTest(p.labels, p.a, p.b);
    expect(mean.deltaAuc).toBe(single.deltaAuc);
    expect(mean.se).toBeCloseTo(single.se, 14);
    expect(mean.p).toBeCloseTo(single.p, 12);
    expect(mean).toMatchObject({ seBetweenSeeds: 0, df: Infinity, seeds: 1, weights: [1] });
  });

  it('with one task and three seeds is delongTestAcrossSeeds', () => {
    const a = seeds(p.a, 3, 1);
    const b = seeds(p.b, 3, 2);
    const mean = delongTestOfTaskMean([{ labels: p.labels, scoresA: a, scoresB: b }]);
    const across = delongTestAcrossSeeds(p.labels, a, b);
    expect(mean.deltaAuc).toBeCloseTo(across.deltaAuc, 15);
    expect(mean.seTestSet).toBeCloseTo(across.seTestSet, 14);
    expect(mean.seBetweenSeeds).toBeCloseTo(across.seBetweenSeeds, 14);
    expect(mean.df).toBeCloseTo(across.df, 8);
    expect(mean.p).toBeCloseTo(across.p, 10);
  });

  it('counts a row shared by two tasks once: the same task twice at ½ each is that task alone', () => {
    const task = { labels: p.labels, scoresA: [p.a], scoresB: [p.b] };
    const twice = delongTestOfTaskMean([task, task]);
    const once = delongTestOfTaskMean([task]);
    expect(twice.deltaAuc).toBeCloseTo(once.deltaAuc, 15);
    expect(twice.se).toBeCloseTo(once.se, 14);
  });

  it('adds the variances of tasks on disjoint rows', () => {
    const first = p.labels.map((_, i) => (i < 200 ? 1 : 0));
    const second = first.map((x) => 1 - x);
    const both = delongTestOfTaskMean([
      { labels: p.labels, mask: first, scoresA: [p.a], scoresB: [p.b] },
      { labels: p.labels, mask: second, scoresA: [p.a], scoresB: [p.optimal] },
    ]);
    const t1 = delongTest(p.labels, p.a, p.b, { mask: first });
    const t2 = delongTest(p.labels, p.a, p.optimal, { mask: second });
    expect(both.deltaAuc).toBeCloseTo((t1.deltaAuc + t2.deltaAuc) / 2, 15);
    expect(both.se).toBeCloseTo(Math.sqrt(t1.se ** 2 + t2.se ** 2) / 2, 14);
  });

  it('identical models: delta 0, p 1', () => {
    const task = { labels: p.labels, scoresA: [p.a, p.b], scoresB: [p.a, p.b] };
    const r = delongTestOfTaskMean([task, { ...task, mask: p.labels.map((_, i) => i % 2) }]);
    expect(r).toMatchObject({ deltaAuc: 0, se: 0, p: 1 });
  });

  it('agrees with a row bootstrap of the mean difference on two overlapping tasks (one nested in the other)', () => {
    const q = minstdPanel(3000, 77, 0.3);
    // Task 2 lives on the rows where task 1 is positive (a conversion under a click), with its own labels.
    const labels2 = q.optimal.map((o) => (o >= 12 ? 1 : 0));
    const mask2 = q.labels;
    const b2 = q.b.map((x, i) => x + (i % 5));
    const exact = delongTestOfTaskMean([
      { labels: q.labels, scoresA: [q.a], scoresB: [q.b] },
      { labels: labels2, mask: mask2, scoresA: [q.optimal], scoresB: [b2] },
    ]);
    // Plain row bootstrap (rows drawn with replacement, every task recounted on the drawn rows).
    let state = 12345;
    const next = () => (state = (48271 * state) % 2147483647);
    const deltas: number[] = [];
    const pick = <T>(xs: T[], idx: number[]) => idx.map((i) => xs[i]!);
    const auc = (labels: number[], scores: number[]) => delongAuc(labels, scores).auc;
    for (let b = 0; b < 300; b++) {
      const idx = q.labels.map(() => next() % q.labels.length);
      const in2 = idx.filter((i) => mask2[i] === 1);
      const d1 = auc(pick(q.labels, idx), pick(q.a, idx)) - auc(pick(q.labels, idx), pick(q.b, idx));
      const d2 = auc(pick(labels2, in2), pick(q.optimal, in2)) - auc(pick(labels2, in2), pick(b2, in2));
      deltas.push((d1 + d2) / 2);
    }
    const mean = deltas.reduce((s, x) => s + x, 0) / deltas.length;
    const sd = Math.sqrt(deltas.reduce((s, x) => s + (x - mean) ** 2, 0) / (deltas.length - 1));
    expect(exact.se / sd).toBeGreaterThan(0.85);
    expect(exact.se / sd).toBeLessThan(1.15);
  });

  it('rejects tasks over different rows or with different seed counts', () => {
    expect(() => delongTestOfTaskMean([])).toThrow(/no tasks/);
    expect(() =>
      delongTestOfTaskMean([
        { labels: p.labels, scoresA: [p.a], scoresB: [p.b] },
        { labels: p.labels.slice(1), scoresA: [p.a.slice(1)], scoresB: [p.b.slice(1)] },
      ]),
    ).toThrow(/tasks\[1\]\.labels has 399 rows/);
    expect(() =>
      delongTestOfTaskMean([
        { labels: p.labels, scoresA: [p.a], scoresB: [p.b] },
        { labels: p.labels, scoresA: [p.a, p.a], scoresB: [p.b, p.b] },
      ]),
    ).toThrow(/every task needs 1/);
  });
});
