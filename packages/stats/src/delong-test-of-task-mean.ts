import { checkLevel, type Labels, type RowMask, type Scores } from './inputs.js';
import { type ConfidenceInterval } from './confidence-interval.js';
import { modelComponents } from './model-components.js';
import { seedAndTestVariance } from './seed-and-test-variance.js';
import { StatsInputError } from './stats-input-error.js';

/** One task of {@link delongTestOfTaskMean}: its labels, its sample space and both models' scores per seed. */
export interface TaskScores {
  /** 0/1 labels of every test row (rows outside `mask` may hold anything). */
  readonly labels: Labels;
  /** The task's own sample space (for a conversion task, the clicked rows); default every row. */
  readonly mask?: RowMask;
  /** Model A's scores, one array per seed, every array over the same rows as `labels`. */
  readonly scoresA: readonly Scores[];
  /** Model B's scores, seed i paired with seed i of A. */
  readonly scoresB: readonly Scores[];
  /** Weight of this task's AUC in the combination (default 1 / number of tasks: the mean). */
  readonly weight?: number;
}

/** Options of {@link delongTestOfTaskMean}. */
export interface DelongTestOfTaskMeanOptions {
  /** Confidence level (default 0.95). */
  level?: number;
}

/** Two models compared on a weighted mean of several tasks' AUCs (the mean over target tasks), over seeds. */
export interface DelongTestOfTaskMeanResult {
  /** Σ w_t · (mean AUC of A over seeds on task t). */
  readonly aucA: number;
  /** Σ w_t · (mean AUC of B over seeds on task t). */
  readonly aucB: number;
  /** aucA − aucB. */
  readonly deltaAuc: number;
  /** √(seTestSet² + seBetweenSeeds²). */
  readonly se: number;
  /** Test-set sampling part: the rows' influence on every task's difference, summed per row (tasks share rows). */
  readonly seTestSet: number;
  /** Training part: s / √k over the k per-seed weighted differences (0 with one seed). */
  readonly seBetweenSeeds: number;
  /** Confidence interval of deltaAuc (t with `df`; normal when `df` is Infinity). */
  readonly ci: ConfidenceInterval;
  /** deltaAuc / se. */
  readonly statistic: number;
  /** Two-sided p-value of H0: equal weighted mean AUCs. */
  readonly p: number;
  /** Welch–Satterthwaite degrees of freedom (Infinity when seBetweenSeeds is 0). */
  readonly df: number;
  /** Seeds compared (k). */
  readonly seeds: number;
  /** The weights used, in task order. */
  readonly weights: number[];
  /** One sentence for a report saying what the interval accounts for. */
  readonly method: string;
}

/**
 * DeLong's paired comparison of a weighted sum of AUCs, Σ w_t AUC_t, measured on tasks that share test rows
 * (a click task on every row, conversion tasks on the clicked rows): the quantity a comparison ranks models on
 * when it averages its target tasks. The tasks' differences are correlated through the rows they share, so
 * their variances cannot simply be added.
 *
 * The test-set variance is the sum over rows of the squared combined influence: row r contributes
 * Σ_t w_t φ_t(r), where φ_t(r) = (D10_t(r) − Δ_t) / √(m_t (m_t − 1)) when r is a positive of task t,
 * (D01_t(r) − Δ_t) / √(n_t (n_t − 1)) when it is a negative, 0 outside the task's sample space, and D10, D01 are
 * the per-row differences of the two models' DeLong components averaged over the seeds. For one task this is
 * exactly DeLong's S10/m + S01/n (so one task and one seed give {@link delongTest}'s SE, and one task with k
 * seeds {@link delongTestAcrossSeeds}'); across tasks it is the usual influence-function (sandwich) estimate
 * of the covariance of U-statistics on shared rows. Seeds are combined as in {@link delongTestAcrossSeeds}: the
 * between-seed variance s²/k of the per-seed weighted differences is added, with a Welch–Satterthwaite t-interval.
 */
export function delongTestOfTaskMean(tasks: readonly TaskScores[], options: DelongTestOfTaskMeanOptions = {}): DelongTestOfTaskMeanResult {
  const where = 'delongTestOfTaskMean';
  const level = checkLevel(where, options.level ?? 0.95);
  if (tasks.length === 0) throw new StatsInputError(`${where}: no tasks given`, 'tasks', 'insufficient');
  const k = tasks[0]!.scoresA.length;
  const rows = tasks[0]!.labels.length;
  if (k === 0)
    throw new StatsInputError(`${where}: tasks[0].scoresA is empty; give one score array per seed`, 'tasks[0].scoresA', 'insufficient');
  const weights = tasks.map((t, i) => {
    const w = t.weight ?? 1 / tasks.length;
    if (!Number.isFinite(w)) throw new StatsInputError(`${where}: tasks[${i}].weight is ${w}; it must be finite`, `tasks[${i}].weight`);
    return w;
  });
  const influence = new Float64Array(rows);
  const perSeed = new Float64Array(k);
  let deltaAuc = 0;
  let aucA = 0;
  let aucB = 0;
  tasks.forEach((task, t) => {
    const name = `tasks[${t}]`;
    if (task.labels.length !== rows) {
      throw new StatsInputError(
        `${where}: ${name}.labels has ${task.labels.length} rows but tasks[0].labels has ${rows}; tasks share the rows`,
        `${name}.labels`,
      );
    }
    if (task.scoresA.length !== k || task.scoresB.length !== k) {
      throw new StatsInputError(
        `${where}: ${name} has ${task.scoresA.length} seeds of A and ${task.scoresB.length} of B; every task needs ${k} of each`,
        `${name}.scoresB`,
      );
    }
    const names = [...task.scoresA.map((_, i) => `${name}.scoresA[${i}]`), ...task.scoresB.map((_, i) => `${name}.scoresB[${i}]`)];
    const { rows: classes, models } = modelComponents(where, task.labels, [...task.scoresA, ...task.scoresB], names, task.mask);
    const m = classes.positives.length;
    const n = classes.negatives.length;
    const d10 = new Float64Array(m);
    const d01 = new Float64Array(n);
    let twiceUDifference = 0;
    for (let s = 0; s < k; s++) {
      const a = models[s]!;
      const b = models[k + s]!;
      twiceUDifference += a.twiceU - b.twiceU;
      perSeed[s] += (weights[t]! * (a.twiceU - b.twiceU)) / (2 * m * n);
      aucA += (weights[t]! * a.auc) / k;
      aucB += (weights[t]! * b.auc) / k;
      for (let r = 0; r < m; r++) d10[r] += (a.v10[r]! - b.v10[r]!) / k;
      for (let r = 0; r < n; r++) d01[r] += (a.v01[r]! - b.v01[r]!) / k;
    }
    const delta = twiceUDifference / (2 * m * n * k);
    deltaAuc += weights[t]! * delta;
    const scale10 = weights[t]! / Math.sqrt(m * (m - 1));
    const scale01 = weights[t]! / Math.sqrt(n * (n - 1));
    for (let r = 0; r < m; r++) influence[classes.positives[r]!] += (d10[r]! - delta) * scale10;
    for (let r = 0; r < n; r++) influence[classes.negatives[r]!] += (d01[r]! - delta) * scale01;
  });
  let testVariance = 0;
  for (let r = 0; r < rows; r++) testVariance += influence[r]! * influence[r]!;
  const { se, seTestSet, seBetweenSeeds, df, ci, statistic, p } = seedAndTestVariance(deltaAuc, testVariance, perSeed, level);
  const what = `weighted sum of ${tasks.length} tasks' AUC differences (rows shared between tasks counted once, by their influence on every task)`;
  const method =
    k === 1
      ? `DeLong test of the single seed on a ${what}: test-set variance only; seed-to-seed variance not measured`
      : `${k} seeds on one test set, ${what}: DeLong variance of the seed-averaged components plus between-seed variance s²/k; t-interval, Welch–Satterthwaite df = ${df === Infinity ? '∞' : df.toFixed(1)}`;
  return {
    aucA,
    aucB,
    deltaAuc,
    se,
    seTestSet,
    seBetweenSeeds,
    ci,
    statistic,
    p,
    df,
    seeds: k,
    weights,
    method,
  };
}
