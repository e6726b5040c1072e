import type { CompareResult } from './compare-result.js';

/** Mean and spread of one metric over seeds. */
export interface SeedStatistic {
  /** Mean over the seeds where the metric is defined; null when it is defined for none. */
  mean: number | null;
  /** Sample standard deviation over those seeds (0 for a single seed); null when mean is null. */
  sd: number | null;
  /** Seeds the statistic counts. */
  n: number;
}

/** One model's line for one task in the summary. */
export interface TaskSummaryRow {
  /** Model name. */
  model: string;
  /** Test AUC over seeds. */
  auc: SeedStatistic;
  /** Test log loss over seeds. */
  logloss: SeedStatistic;
  /** Mean training seconds over seeds. */
  trainSeconds: number;
  /** Mean training throughput over seeds. */
  trainSamplesPerSec: number;
  /**
   * Whether this model is called best on this task: the highest mean test AUC and significantly above the runner-up
   * (`statistics.leaders`, p < 0.05). Never true without the statistics, nor when the top two are not told apart.
   */
  best: boolean;
}

/** The summary of one task: a row per model, in model order. */
export interface TaskSummary {
  /** Task name. */
  task: string;
  /** Whether the task is a target of the early-stopping monitor. */
  target: boolean;
  /** Rows, in the order the models were given. */
  rows: TaskSummaryRow[];
}

/** Mean and sample standard deviation of the finite values. */
export function seedStatistic(values: ReadonlyArray<number | null | undefined>): SeedStatistic {
  const xs = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (xs.length === 0) return { mean: null, sd: null, n: 0 };
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = xs.length > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1)) : 0;
  return { mean, sd, n: xs.length };
}

/**
 * Aggregates the runs of a comparison per task and model (mean ± sample sd over seeds) and marks the best model per
 * task: the highest mean test AUC, and only when it is significantly above the runner-up (`statistics.leaders`).
 */
export function summarizeComparison(result: Pick<CompareResult, 'results' | 'taskNames' | 'targetTasks' | 'statistics'>): TaskSummary[] {
  const models: string[] = [];
  for (const run of result.results) if (!models.includes(run.model)) models.push(run.model);
  return result.taskNames.map((task) => {
    const rows = models.map((model): TaskSummaryRow => {
      const runs = result.results.filter((r) => r.model === model);
      const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
      return {
        model,
        auc: seedStatistic(runs.map((r) => r.tasks[task]?.auc)),
        logloss: seedStatistic(runs.map((r) => r.tasks[task]?.logloss)),
        trainSeconds: mean(runs.map((r) => r.trainSeconds)),
        trainSamplesPerSec: mean(runs.map((r) => r.trainSamplesPerSec)),
        best: false,
      };
    });
    const leader = result.statistics?.leaders.find((l) => l.task === task);
    if (leader?.best) for (const row of rows) row.best = row.model === leader.model;
    return { task, target: result.targetTasks.includes(task), rows };
  });
}
