import {
  combineSeeds,
  delongAuc,
  delongTestAcrossSeeds,
  delongTestOfTaskMean,
  holmAdjust,
  StatsInputError,
  type Labels,
  type RowMask,
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

/** What the statistics read of a comparison's result: the runs, the tasks and targets, the models and seeds in order. */
export type ComparisonRuns = Pick<CompareResult, 'results' | 'taskNames' | 'targetTasks' | 'protocol'>;

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
 *   true probabilities closed ({@link shareOfGap}: the delta method with the same variance as the comparisons).
 */
export function comparisonStatistics(
  runs: ComparisonRuns,
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
    // Single-task may be the best baseline too: the same family, computed once.
    const same = comparisons.filter((c) => c.reference === reference);
    if (same.length) {
      comparisons.push(...same.map((c) => ({ ...c, referenceRole: role })));
      continue;
    }
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
function leaders(
  runs: ComparisonRuns,
  models: string[],
  scores: ScoresOf,
  seedsOf: (m: string) => number[],
  truth: TestTruth,
): TaskLeader[] {
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
  runs: ComparisonRuns,
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
        out.push({ ...base, ...shareOfGap(truth.labels[task]!, truth.masks[task]!, a, b, optimal) });
      } catch (error) {
        out.push({ ...base, share: null, ci95: null, method: `n/a: ${insufficient(error)}` });
      }
    }
  }
  return out;
}

/**
 * The share of the gap closed, g = X / Y with X = M̄ − R̄ (model minus reference, mean AUCs over the seeds) and
 * Y = O − R̄ (true probabilities minus reference), with the same two sources of variance as the comparisons: the delta
 * method Var(g) ≈ Var X / Y² − 2 X Cov(X, Y) / Y³ + X² Var Y / Y⁴, where Var X, Var Y and Var(Y − X) = Var(O − M̄) come
 * from `delongTestAcrossSeeds` (test-set variance of the seed-averaged components plus between-seed variance; the true
 * probabilities repeated for every seed) and Cov(X, Y) = (Var X + Var Y − Var(Y − X)) / 2 (all three are quadratic
 * forms of the same components, so the identity is exact). With one seed this is `gapClosed`'s delta method. The
 * interval uses the quantile of the comparison of model and reference (t with its Welch–Satterthwaite df).
 */
export function shareOfGap(
  labels: Labels,
  mask: RowMask,
  model: Scores[],
  reference: Scores[],
  optimal: Scores,
): Pick<GapClosedEntry, 'share' | 'ci95' | 'method'> {
  const k = model.length;
  const truth = Array.from({ length: k }, () => optimal);
  const x = delongTestAcrossSeeds(labels, model, reference, { mask });
  const y = delongTestAcrossSeeds(labels, truth, reference, { mask });
  const z = delongTestAcrossSeeds(labels, truth, model, { mask });
  if (!(y.deltaAuc > 0)) {
    throw new StatsInputError(
      `the true probabilities' AUC does not exceed the reference's (mean of ${k} seeds); there is no gap to close`,
      'optimal',
      'insufficient',
    );
  }
  const covariance = (x.se ** 2 + y.se ** 2 - z.se ** 2) / 2;
  const share = x.deltaAuc / y.deltaAuc;
  const variance =
    x.se ** 2 / y.deltaAuc ** 2 - (2 * x.deltaAuc * covariance) / y.deltaAuc ** 3 + (x.deltaAuc ** 2 * y.se ** 2) / y.deltaAuc ** 4;
  const se = Math.sqrt(Math.max(0, variance));
  const quantile = x.se > 0 ? (x.ci.upper - x.ci.lower) / (2 * x.se) : 1.959963984540054;
  return {
    share,
    ci95: [share - quantile * se, share + quantile * se],
    method:
      k === 1
        ? "delta method on DeLong's covariance (gapClosed), single seed: test-set variance only"
        : `delta method on ${k} seeds: DeLong variance of the seed-averaged components plus between-seed variance (as delongTestAcrossSeeds), t quantile with df ${x.df === Infinity ? '∞' : x.df.toFixed(1)}`,
  };
}

/**
 * One training size of a data-efficiency curve: every model's mean test AUC per target task and the mean of targets,
 * with a CI: per seed DeLong's AUC and SE, seeds combined with `combineSeeds` (a t-interval over seeds from 3 seeds,
 * else the mean of the DeLong estimates). The mean of targets per seed is the mean of the tasks' AUCs with the
 * tasks' SEs added as if independent (it only draws the curve; the comparisons use `delongTestOfTaskMean`).
 */
export function curvePoints(runs: ComparisonRuns, predictions: ReadonlyMap<string, TestPredictions>, truth: TestTruth): CurvePoint[] {
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
