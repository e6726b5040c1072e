import {
  combineSeeds,
  delongAuc,
  delongTestAcrossSeeds,
  delongTestOfTaskMean,
  gapClosed,
  holmAdjust,
  StatsInputError,
  type Scores,
} from '@ektm/stats';
import type { ModelRegistry } from '@ektm/core';
import {
  MEAN_OF_TARGETS,
  type Comparison,
  type ComparisonStatistics,
  type CompareResult,
  type CurvePoint,
  type GapClosedEntry,
  type ReferenceRole,
  type TaskLeader,
  type TestSpace,
} from './compare-result.js';
import { runId } from './run-store.js';
import type { TestPredictions } from './test-predictions.js';

/** Significance level of every mark of a comparison. */
export const ALPHA = 0.05;

/** The test split as the statistics need it: per task, its 0/1 labels and its sample-space mask over every test row. */
export interface TestTruth {
  /** Labels per task name (NaN or anything outside the task's mask). */
  labels: Record<string, Float32Array>;
  /** Sample-space mask per task name (1 = the row counts for the task). */
  masks: Record<string, Float32Array>;
  /** Simulated data only: the true probability of every task's label per test row. */
  trueProbabilities?: Record<string, Float32Array>;
}

/** What {@link comparisonStatistics} adds to a result. */
export interface ComparisonEvidence {
  /** Every model against each reference, on every target task and the mean of targets. */
  comparisons: Comparison[];
  /** References, Holm family, test rows, leaders, share of the gap closed. */
  statistics: ComparisonStatistics;
}

type Runs = Pick<CompareResult, 'results' | 'taskNames' | 'targetTasks' | 'protocol'>;

const interval = (ci: { lower: number; upper: number }): [number, number] => [ci.lower, ci.upper];

/** A test that the rows cannot support (`insufficient`) becomes a line; any other error is a bug and is thrown. */
function insufficient(error: unknown): string {
  if (error instanceof StatsInputError && error.reason === 'insufficient') return error.message;
  throw error;
}

/**
 * The statistical evidence of a comparison, from every run's test predictions (`@ektm/stats`):
 *
 * - `comparisons`: every model against each reference (single-task when it ran; the best baseline by validation,
 *   i.e. the non-EKTM model with the highest mean validation monitor) on each target task, with
 *   `delongTestAcrossSeeds` (DeLong's variance of the seed-averaged components plus the between-seed variance),
 *   and on the mean of the targets with `delongTestOfTaskMean` (the targets share test rows). Holm-adjusted p over
 *   the family of comparisons with the same reference.
 * - `statistics.leaders`: per task, whether the model with the highest mean test AUC is significantly above the
 *   runner-up; a table calls a model best only then.
 * - `statistics.gapClosed` (simulated data): per target, each model's share of the gap between single-task and the
 *   true probabilities closed (`gapClosed` per seed, delta method; seeds combined with `combineSeeds`).
 */
export function comparisonStatistics(
  runs: Runs,
  predictions: ReadonlyMap<string, TestPredictions>,
  truth: TestTruth,
  registry: Pick<ModelRegistry, 'has' | 'get'>,
): ComparisonEvidence {
  const notes: string[] = [];
  const models = runs.protocol.models.filter((m) => runs.results.some((r) => r.model === m));
  const targets = runs.targetTasks;
  const seedsOf = (model: string) =>
    runs.protocol.seeds.filter((s) => runs.results.some((r) => r.model === model && r.seed === s) && predictions.has(runId(model, s)));
  for (const run of runs.results) {
    if (!predictions.has(runId(run.model, run.seed)))
      notes.push(`${run.model} seed ${run.seed}: no test predictions kept (finished by an older version); left out of the statistics`);
  }
  const scores = (model: string, task: string, seeds: number[]): Scores[] | undefined => {
    const out = seeds.map((s) => predictions.get(runId(model, s))?.[task]);
    return out.every((x): x is Float32Array => x !== undefined) ? out : undefined;
  };
  const predictsAll = (model: string, tasks: readonly string[]) => {
    const seeds = seedsOf(model);
    return seeds.length > 0 && tasks.every((t) => scores(model, t, seeds) !== undefined);
  };

  const testSpace: Record<string, TestSpace> = {};
  for (const task of runs.taskNames) {
    const labels = truth.labels[task];
    const mask = truth.masks[task];
    if (!labels || !mask) continue;
    let rows = 0;
    let positives = 0;
    for (let i = 0; i < mask.length; i++) {
      if (mask[i] !== 1) continue;
      rows++;
      if (labels[i] === 1) positives++;
    }
    testSpace[task] = { rows, positives };
  }

  // References.
  const singleTask = models.includes('single-task') && predictsAll('single-task', targets) ? 'single-task' : null;
  const validationMonitor = (model: string): number | null => {
    const best = runs.results
      .filter((r) => r.model === model)
      .map((r) => Math.max(...r.curves.map((c) => c.monitor ?? -Infinity)))
      .filter((v) => Number.isFinite(v));
    return best.length ? best.reduce((a, b) => a + b, 0) / best.length : null;
  };
  let bestBaseline: { model: string; validationMonitor: number } | null = null;
  for (const model of models) {
    const family = registry.has(model) ? registry.get(model).family : 'baseline';
    const monitor = validationMonitor(model);
    if (family === 'ektm' || monitor === null || !predictsAll(model, targets)) continue;
    if (!bestBaseline || monitor > bestBaseline.validationMonitor) bestBaseline = { model, validationMonitor: monitor };
  }
  const references: Array<{ model: string; role: ReferenceRole }> = [];
  if (singleTask) references.push({ model: singleTask, role: 'single-task' });
  else notes.push('single-task did not run (or kept no predictions for every target): no comparisons against it');
  if (bestBaseline) references.push({ model: bestBaseline.model, role: 'best baseline' });
  else notes.push('no baseline predicted every target: no comparisons against the best baseline');

  const comparisons: Comparison[] = [];
  for (const { model: reference, role } of references) {
    const family: Comparison[] = [];
    for (const model of models) {
      if (model === reference) continue;
      const seeds = seedsOf(model).filter((s) => seedsOf(reference).includes(s));
      for (const task of [...targets, MEAN_OF_TARGETS]) {
        const tasks = task === MEAN_OF_TARGETS ? targets : [task];
        if (targets.length < 2 && task === MEAN_OF_TARGETS) continue;
        const base = { task, model, reference, referenceRole: role, seeds };
        const a = tasks.map((t) => scores(model, t, seeds));
        const b = tasks.map((t) => scores(reference, t, seeds));
        if (seeds.length === 0 || a.some((x) => !x) || b.some((x) => !x)) {
          family.push({
            ...base,
            deltaAuc: null,
            ci95: null,
            se: null,
            p: null,
            pHolm: null,
            method: `${model} does not predict ${tasks.join(', ')}`,
          });
          continue;
        }
        try {
          const test =
            task === MEAN_OF_TARGETS
              ? delongTestOfTaskMean(
                  tasks.map((t, i) => ({ labels: truth.labels[t]!, mask: truth.masks[t], scoresA: a[i]!, scoresB: b[i]! })),
                )
              : delongTestAcrossSeeds(truth.labels[task]!, a[0]!, b[0]!, { mask: truth.masks[task] });
          family.push({
            ...base,
            deltaAuc: test.deltaAuc,
            ci95: interval(test.ci),
            se: test.se,
            p: test.p,
            pHolm: null,
            method: test.method,
          });
        } catch (error) {
          const why = insufficient(error);
          family.push({ ...base, deltaAuc: null, ci95: null, se: null, p: null, pHolm: null, method: `n/a: ${why}` });
        }
      }
    }
    const tested = family.filter((c) => c.p !== null);
    holmAdjust(tested.map((c) => c.p!)).forEach((p, i) => (tested[i]!.pHolm = p));
    comparisons.push(...family);
  }

  return {
    comparisons,
    statistics: {
      alpha: ALPHA,
      markUses: 'pHolm',
      holmFamily: 'per reference: every model × (each target task and the mean of targets)',
      references: { singleTask, bestBaseline },
      testSpace,
      leaders: leaders(runs, models, scores, seedsOf, truth),
      gapClosed: truth.trueProbabilities ? gapShares(runs, models, singleTask, scores, seedsOf, truth, notes) : null,
      notes,
    },
  };
}

type ScoresOf = (model: string, task: string, seeds: number[]) => Scores[] | undefined;

/** Per task and for the mean of targets: the top model by mean test AUC against the runner-up. */
function leaders(runs: Runs, models: string[], scores: ScoresOf, seedsOf: (m: string) => number[], truth: TestTruth): TaskLeader[] {
  const out: TaskLeader[] = [];
  const meanAuc = (model: string, tasks: readonly string[]): number | null => {
    const per = runs.results
      .filter((r) => r.model === model)
      .map((r) => tasks.map((t) => r.tasks[t]?.auc))
      .filter((xs): xs is number[] => xs.every((x) => typeof x === 'number'))
      .map((xs) => xs.reduce((a, b) => a + b, 0) / xs.length);
    return per.length ? per.reduce((a, b) => a + b, 0) / per.length : null;
  };
  const groups: Array<[string, readonly string[]]> = runs.taskNames.map((t) => [t, [t]]);
  if (runs.targetTasks.length > 1) groups.push([MEAN_OF_TARGETS, runs.targetTasks]);
  for (const [task, tasks] of groups) {
    const ranked = models
      .map((model) => ({ model, auc: meanAuc(model, tasks) }))
      .filter((x): x is { model: string; auc: number } => x.auc !== null)
      .sort((x, y) => y.auc - x.auc);
    if (ranked.length === 0) continue;
    const [top, second] = ranked;
    const leader: TaskLeader = {
      task,
      model: top!.model,
      runnerUp: second?.model ?? null,
      deltaAuc: null,
      ci95: null,
      p: null,
      best: false,
    };
    if (second) {
      const seeds = seedsOf(top!.model).filter((s) => seedsOf(second.model).includes(s));
      const a = tasks.map((t) => scores(top!.model, t, seeds));
      const b = tasks.map((t) => scores(second.model, t, seeds));
      if (seeds.length > 0 && a.every(Boolean) && b.every(Boolean)) {
        try {
          const test =
            tasks.length > 1
              ? delongTestOfTaskMean(
                  tasks.map((t, i) => ({ labels: truth.labels[t]!, mask: truth.masks[t], scoresA: a[i]!, scoresB: b[i]! })),
                )
              : delongTestAcrossSeeds(truth.labels[task]!, a[0]!, b[0]!, { mask: truth.masks[task] });
          Object.assign(leader, { deltaAuc: test.deltaAuc, ci95: interval(test.ci), p: test.p, best: test.p < ALPHA && test.deltaAuc > 0 });
        } catch (error) {
          insufficient(error);
        }
      }
    }
    out.push(leader);
  }
  return out;
}

/** Per target: each model's share of the gap between single-task and the true probabilities closed. */
function gapShares(
  runs: Runs,
  models: string[],
  singleTask: string | null,
  scores: ScoresOf,
  seedsOf: (m: string) => number[],
  truth: TestTruth,
  notes: string[],
): GapClosedEntry[] | null {
  if (!singleTask) {
    notes.push('share of the gap closed: needs single-task as the reference');
    return null;
  }
  const out: GapClosedEntry[] = [];
  for (const task of runs.targetTasks) {
    const optimal = truth.trueProbabilities?.[task];
    if (!optimal) continue;
    let aucOptimal: number;
    try {
      aucOptimal = delongAuc(truth.labels[task]!, optimal, { mask: truth.masks[task] }).auc;
    } catch (error) {
      notes.push(`share of the gap closed on ${task}: ${insufficient(error)}`);
      continue;
    }
    for (const model of models) {
      if (model === singleTask) continue;
      const seeds = seedsOf(model).filter((s) => seedsOf(singleTask).includes(s));
      const a = scores(model, task, seeds);
      const b = scores(singleTask, task, seeds);
      const base = { task, model, reference: singleTask, aucOptimal, seeds };
      if (!a || !b || seeds.length === 0) continue;
      try {
        const perSeed = seeds.map((_, i) => gapClosed(truth.labels[task]!, a[i]!, b[i]!, optimal, { mask: truth.masks[task] }));
        const combined = combineSeeds(perSeed.map((g) => ({ delta: g.share, se: g.se })));
        out.push({
          ...base,
          share: combined.delta,
          ci95: interval(combined.ci),
          method: `gapClosed per seed (delta method on DeLong's covariance); seeds combined: ${combined.method}`,
        });
      } catch (error) {
        out.push({ ...base, share: null, ci95: null, method: `n/a: ${insufficient(error)}` });
      }
    }
  }
  return out;
}

/**
 * One training size of a data-efficiency curve: every model's mean test AUC per target task and the mean of targets,
 * with a CI: per seed DeLong's AUC and SE, seeds combined with `combineSeeds` (a t-interval over seeds from 3 seeds,
 * else the mean of the DeLong estimates). The mean of targets per seed is the mean of the tasks' AUCs with the
 * tasks' SEs added as if independent (it only draws the curve; the comparisons use `delongTestOfTaskMean`).
 */
export function curvePoints(runs: Runs, predictions: ReadonlyMap<string, TestPredictions>, truth: TestTruth): CurvePoint[] {
  const out: CurvePoint[] = [];
  const models = runs.protocol.models.filter((m) => runs.results.some((r) => r.model === m));
  for (const model of models) {
    const seeds = runs.protocol.seeds.filter((s) => predictions.has(runId(model, s)));
    const perTask = new Map<string, Array<{ delta: number; se: number }> | null>();
    for (const task of runs.targetTasks) {
      try {
        const per = seeds.map((s) => {
          const p = predictions.get(runId(model, s))![task];
          if (!p) throw new StatsInputError(`${model} does not predict ${task}`, 'scores', 'insufficient');
          const a = delongAuc(truth.labels[task]!, p, { mask: truth.masks[task] });
          return { delta: a.auc, se: a.se };
        });
        perTask.set(task, per.length ? per : null);
      } catch (error) {
        insufficient(error);
        perTask.set(task, null);
      }
    }
    const point = (task: string, per: Array<{ delta: number; se: number }> | null): CurvePoint => {
      if (!per) return { model, task, auc: null, ci95: null, method: 'n/a', seeds };
      const c = combineSeeds(per);
      return { model, task, auc: c.delta, ci95: interval(c.ci), method: c.method, seeds };
    };
    for (const task of runs.targetTasks) out.push(point(task, perTask.get(task)!));
    if (runs.targetTasks.length > 1) {
      const all = runs.targetTasks.map((t) => perTask.get(t));
      const T = runs.targetTasks.length;
      const mean = all.every(Boolean)
        ? seeds.map((_, i) => ({
            delta: all.reduce((s, p) => s + p![i]!.delta, 0) / T,
            se: Math.sqrt(all.reduce((s, p) => s + p![i]!.se ** 2, 0)) / T,
          }))
        : null;
      out.push(point(MEAN_OF_TARGETS, mean));
    }
  }
  return out;
}
