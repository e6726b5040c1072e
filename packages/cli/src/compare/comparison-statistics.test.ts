import { describe, expect, it } from 'vitest';
import { seededRandom } from '@ektm/core';
import { MODELS } from '../models/models.js';
import { MEAN_OF_TARGETS, type CompareResult, type CompareRun } from './compare-result.js';
import { gapClosed } from '@ektm/stats';
import { comparisonStatistics, curvePoints, shareOfGap, type TestTruth } from './comparison-statistics.js';
import { formatComparisonTable } from './format-table.js';
import { runId } from './run-store.js';
import type { TestPredictions } from './test-predictions.js';

/**
 * A hand-made test split of 4,000 rows (click on every row; purchase and cart on the clicked rows) with true
 * probabilities, and four "models": single-task (truth + noise), mmoe (exactly single-task's scores), ektm (the truth
 * with less noise: better) and ple (random scores: broken).
 */
function fixture(seeds: number[]) {
  const rows = 4000;
  const random = seededRandom(7);
  const truthP: Record<string, Float32Array> = {
    click: new Float32Array(rows),
    purchase: new Float32Array(rows),
    cart: new Float32Array(rows),
  };
  const labels: Record<string, Float32Array> = {
    click: new Float32Array(rows),
    purchase: new Float32Array(rows),
    cart: new Float32Array(rows),
  };
  for (let i = 0; i < rows; i++) {
    truthP.click![i] = 0.1 + 0.6 * random();
    labels.click![i] = random() < truthP.click![i]! ? 1 : 0;
    for (const t of ['purchase', 'cart']) {
      truthP[t]![i] = 0.05 + 0.5 * random() ** 2;
      labels[t]![i] = labels.click![i] === 1 ? (random() < truthP[t]![i]! ? 1 : 0) : NaN;
    }
  }
  const masks = Object.fromEntries(
    Object.keys(labels).map((t) => [t, t === 'click' ? new Float32Array(rows).fill(1) : labels.click!.map((c) => c)]),
  );
  const truth: TestTruth = { labels, masks, trueProbabilities: truthP };
  const noisy = (seed: number, amount: number) =>
    Object.fromEntries(
      Object.entries(truthP).map(([t, p]) => {
        const r = seededRandom(seed * 31 + t.length);
        return [t, p.map((x) => x + amount * (r() - 0.5))];
      }),
    ) as TestPredictions;
  const predictions = new Map<string, TestPredictions>();
  const models = ['single-task', 'mmoe', 'ektm', 'ple'];
  const runs: CompareRun[] = [];
  for (const seed of seeds) {
    const single = noisy(seed, 0.8);
    predictions.set(runId('single-task', seed), single);
    predictions.set(runId('mmoe', seed), single);
    predictions.set(runId('ektm', seed), noisy(seed + 100, 0.4));
    const r = seededRandom(seed + 999);
    predictions.set(runId('ple', seed), Object.fromEntries(Object.keys(truthP).map((t) => [t, new Float32Array(rows).map(() => r())])));
  }
  for (const model of models) {
    for (const seed of seeds) {
      const p = predictions.get(runId(model, seed))!;
      runs.push({
        model,
        seed,
        epochs: 1,
        bestEpoch: 1,
        trainSeconds: 1,
        trainSamplesPerSec: 1,
        parameters: 1,
        // Validation monitor: ple pretends to validate best among the baselines; test AUCs are recomputed below.
        curves: [{ epoch: 1, trainLoss: 1, monitor: model === 'mmoe' ? 0.7 : model === 'ple' ? 0.5 : 0.6, validation: {} }],
        diagnostics: [],
        tasks: Object.fromEntries(Object.keys(truthP).map((t) => [t, { auc: aucOf(labels[t]!, masks[t]!, p[t]!), logloss: 0.5 }])),
      });
    }
  }
  const result: CompareResult = {
    dataset: 'fixture',
    taskSet: null,
    backend: 'cpu',
    results: runs,
    taskNames: ['click', 'purchase', 'cart'],
    targetTasks: ['purchase', 'cart'],
    protocol: { epochs: 1, batchSize: 1, learningRate: 1, patience: 1, monitor: 'mean validation AUC of purchase, cart', models, seeds },
    splits: { train: 1, validation: 1, test: rows },
    optimalAuc: null,
    createdAt: '',
    versions: {},
  };
  return { result, predictions, truth };
}

/** Pair-counted AUC over the masked rows (test helper; small inputs only matter for the table's best marks). */
function aucOf(labels: Float32Array, mask: Float32Array, scores: Float32Array): number {
  const pos: number[] = [];
  const neg: number[] = [];
  for (let i = 0; i < labels.length; i++) if (mask[i] === 1) (labels[i] === 1 ? pos : neg).push(scores[i]!);
  neg.sort((a, b) => a - b);
  let wins = 0;
  for (const p of pos) {
    let lo = 0;
    let hi = neg.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (neg[mid]! < p) lo = mid + 1;
      else hi = mid;
    }
    let ties = 0;
    for (let j = lo; j < neg.length && neg[j] === p; j++) ties++;
    wins += lo + ties / 2;
  }
  return wins / (pos.length * neg.length);
}

describe('comparisonStatistics', () => {
  for (const seeds of [[0], [0, 1, 2]]) {
    it(`compares every model with both references on every target and the mean (${seeds.length} seeds)`, () => {
      const { result, predictions, truth } = fixture(seeds);
      const { comparisons, statistics } = comparisonStatistics(result, predictions, truth, MODELS);
      expect(statistics.references.singleTask).toBe('single-task');
      expect(statistics.references.bestBaseline!.model).toBe('mmoe');
      expect(statistics.references.bestBaseline!.validationMonitor).toBeCloseTo(0.7, 12);
      // 3 other models × (2 targets + mean) per reference.
      expect(comparisons).toHaveLength(2 * 3 * 3);
      for (const c of comparisons) {
        expect(Object.keys(c).sort()).toEqual([
          'ci95',
          'deltaAuc',
          'method',
          'model',
          'p',
          'pHolm',
          'reference',
          'referenceRole',
          'se',
          'seeds',
          'task',
        ]);
        expect(c.seeds).toEqual(seeds);
        expect(c.ci95![0]).toBeLessThanOrEqual(c.deltaAuc!);
        expect(c.ci95![1]).toBeGreaterThanOrEqual(c.deltaAuc!);
        expect(c.pHolm!).toBeGreaterThanOrEqual(c.p!);
      }
      const find = (model: string, task: string, reference = 'single-task') =>
        comparisons.find((c) => c.model === model && c.task === task && c.reference === reference)!;
      // The same scores under another name: delta exactly 0, p 1.
      for (const task of ['purchase', 'cart', MEAN_OF_TARGETS]) expect(find('mmoe', task)).toMatchObject({ deltaAuc: 0, p: 1, pHolm: 1 });
      // A broken model (random scores) against the reference, and a better one.
      for (const task of ['purchase', 'cart', MEAN_OF_TARGETS]) {
        expect(find('ple', task).deltaAuc!).toBeLessThan(0);
        expect(find('ple', task).pHolm!).toBeLessThan(0.05);
        expect(find('ektm', task).deltaAuc!).toBeGreaterThan(0);
      }
      // The mean of the targets is the mean of the targets' deltas.
      expect(find('ektm', MEAN_OF_TARGETS).deltaAuc).toBeCloseTo(
        (find('ektm', 'purchase').deltaAuc! + find('ektm', 'cart').deltaAuc!) / 2,
        12,
      );
      // Against the best baseline (mmoe, the same scores as single-task): the same deltas.
      expect(find('ektm', 'cart', 'mmoe').deltaAuc).toBe(find('ektm', 'cart').deltaAuc);
      expect(find('ektm', 'cart').method).toMatch(seeds.length === 1 ? /single seed/ : /3 seeds on one test set/);
      // Test rows and positives in each task's own space.
      expect(statistics.testSpace.click!.rows).toBe(4000);
      expect(statistics.testSpace.purchase!.rows).toBe(statistics.testSpace.click!.positives);
      // Leaders: ektm is best on every task, significantly above the runner-up (single-task and mmoe tie).
      for (const l of statistics.leaders) expect(l).toMatchObject({ model: 'ektm', best: true });
      // Gap closed: single-task's copy closes none of it, the better model a positive share below 1, the broken one a negative share.
      const gap = statistics.gapClosed!;
      expect(gap.find((g) => g.model === 'mmoe' && g.task === 'cart')!.share).toBe(0);
      const better = gap.find((g) => g.model === 'ektm' && g.task === 'cart')!;
      expect(better.share!).toBeGreaterThan(0);
      expect(better.share!).toBeLessThan(1);
      expect(better.ci95![0]).toBeLessThan(better.share!);
      expect(gap.find((g) => g.model === 'ple' && g.task === 'cart')!.share!).toBeLessThan(0);
    });
  }

  it('never calls a model best when the top two are not significantly apart', () => {
    const { result, predictions, truth } = fixture([0]);
    // Only the two identical models: the top one cannot be significantly above the other.
    result.results = result.results.filter((r) => r.model === 'single-task' || r.model === 'mmoe');
    result.protocol.models = ['single-task', 'mmoe'];
    const evidence = comparisonStatistics(result, predictions, truth, MODELS);
    for (const l of evidence.statistics.leaders) expect(l.best).toBe(false);
    const table = formatComparisonTable({ ...result, ...evidence });
    expect(table).not.toMatch(/^\* (?!=)/m);
    expect(table).toMatch(/no model is best: (single-task|mmoe) − (single-task|mmoe) = \+0\.0000, p = 1\.0 \(not significant\)/);
  });

  it('prints the deltas with ± and † beside the AUCs, the test positives, and the gap closed', () => {
    const { result, predictions, truth } = fixture([0, 1, 2]);
    const evidence = comparisonStatistics(result, predictions, truth, MODELS);
    const table = formatComparisonTable({ ...result, ...evidence });
    expect(table).toMatch(/test rows \(positives\) in each task's own sample space: click 4000 \(\d+\), purchase \d+ \(\d+\)/);
    expect(table).toMatch(
      /cart \(target\), \d+ test positives of \d+ rows\n\s+model\s+test AUC \(mean ± sd, 3 seeds\)\s+Δ vs single-task \(± 95% CI\)\s+Δ vs mmoe \(± 95% CI\)/,
    );
    expect(table).toMatch(/^\* ektm\s+0\.\d{4} ± 0\.\d{4}\s+\+0\.\d{4} ± 0\.\d{4}†\s+\+0\.\d{4} ± 0\.\d{4}†/m);
    expect(table).toMatch(/^ {2}ple\s+0\.\d{4} ± 0\.\d{4}\s+−0\.\d{4} ± 0\.\d{4}†/m);
    expect(table).toMatch(/^ {2}mmoe\s+0\.\d{4} ± 0\.\d{4}\s+\+0\.0000 ± 0\.0000\s+ref/m);
    expect(table).toContain('mean of targets\n');
    expect(table).toContain('share of the gap closed between single-task (0) and the true probabilities (1)');
    expect(table).toMatch(/^ {2}ektm\s+0\.\d\d \[0\.\d\d, [01]\.\d\d\]/m);
  });

  it('share of the gap closed: one seed is gapClosed; more seeds carry the variance of the comparisons', () => {
    const { predictions, truth } = fixture([0, 1, 2]);
    const labels = truth.labels.cart!;
    const mask = truth.masks.cart!;
    const optimal = truth.trueProbabilities!.cart!;
    const of = (model: string, seeds: number[]) => seeds.map((s) => predictions.get(runId(model, s))!.cart!);
    const one = shareOfGap(labels, mask, of('ektm', [0]), of('single-task', [0]), optimal);
    const exact = gapClosed(labels, of('ektm', [0])[0]!, of('single-task', [0])[0]!, optimal, { mask });
    expect(one.share).toBeCloseTo(exact.share, 12);
    expect(one.ci95![0]).toBeCloseTo(exact.ci.lower, 10);
    expect(one.ci95![1]).toBeCloseTo(exact.ci.upper, 10);
    const three = shareOfGap(labels, mask, of('ektm', [0, 1, 2]), of('single-task', [0, 1, 2]), optimal);
    expect(three.method).toMatch(/delta method on 3 seeds/);
    expect(three.ci95![1] - three.ci95![0]).toBeGreaterThan(0);
  });

  it('gives a curve point per model and target with a CI', () => {
    const { result, predictions, truth } = fixture([0, 1, 2]);
    const points = curvePoints(result, predictions, truth);
    expect(points).toHaveLength(4 * 3);
    const p = points.find((x) => x.model === 'ektm' && x.task === 'cart')!;
    expect(p.auc).toBeCloseTo(result.results.filter((r) => r.model === 'ektm').reduce((s, r) => s + r.tasks.cart!.auc!, 0) / 3, 12);
    expect(p.ci95![0]).toBeLessThan(p.auc!);
    expect(p.method).toMatch(/t-interval over 3/);
  });
});

describe('comparisonStatistics when single-task is also the best baseline', () => {
  it('computes the family once and prints one Δ column', () => {
    const { result, predictions, truth } = fixture([0]);
    // single-task validates best among the baselines now.
    for (const r of result.results) if (r.model === 'single-task') r.curves[0]!.monitor = 0.9;
    const evidence = comparisonStatistics(result, predictions, truth, MODELS);
    expect(evidence.statistics.references.bestBaseline!.model).toBe('single-task');
    const byRole = (role: string) => evidence.comparisons.filter((c) => c.referenceRole === role);
    expect(byRole('best baseline').map((c) => ({ ...c, referenceRole: 'single-task' }))).toEqual(byRole('single-task'));
    const table = formatComparisonTable({ ...result, ...evidence });
    expect(table.match(/Δ vs single-task/g)?.length).toBe(3); // purchase, cart, mean of targets: one column each
    expect(table).toContain('best baseline by validation: single-task (mean validation monitor 0.9000), the same reference as single-task');
  });
});
