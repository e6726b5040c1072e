import { configurationLines } from '../tune/configuration-lines.js';
import { MEAN_OF_TARGETS, type Comparison, type CompareResult, type ReferenceRole } from './compare-result.js';
import { seedStatistic, summarizeComparison, type SeedStatistic, type TaskSummary } from './summarize.js';

/** `+0.0123 ± 0.0045†` (delta, 95% CI half-width, † when the Holm-adjusted p < alpha), `n/a`, or `ref` for the reference. */
export function formatDelta(comparison: Comparison | undefined, alpha: number, isReference = false): string {
  if (isReference) return 'ref';
  if (!comparison || comparison.deltaAuc === null || comparison.ci95 === null) return 'n/a';
  const half = (comparison.ci95[1] - comparison.ci95[0]) / 2;
  const sign = comparison.deltaAuc >= 0 ? '+' : '−';
  const mark = comparison.pHolm !== null && comparison.pHolm < alpha ? '†' : ' ';
  return `${sign}${Math.abs(comparison.deltaAuc).toFixed(4)} ± ${half.toFixed(4)}${mark}`;
}

/** One Δ column of the table: a reference and the model it is. */
export interface ReferenceColumn {
  /** Why it is a reference. */
  role: ReferenceRole;
  /** The reference model. */
  model: string;
}

/** The references of a comparison in column order, with the model each one is (one column when both are the same model). */
export function referenceColumns(result: Pick<CompareResult, 'statistics'>): ReferenceColumn[] {
  const refs = result.statistics?.references;
  const out: ReferenceColumn[] = [];
  if (refs?.singleTask) out.push({ role: 'single-task', model: refs.singleTask });
  // Single-task may also be the best baseline: one column then.
  if (refs?.bestBaseline && refs.bestBaseline.model !== refs.singleTask)
    out.push({ role: 'best baseline', model: refs.bestBaseline.model });
  return out;
}

/** The comparison of `model` with the reference of `role` on `task`. */
export function findComparison(
  result: Pick<CompareResult, 'comparisons'>,
  task: string,
  model: string,
  role: ReferenceRole,
): Comparison | undefined {
  return result.comparisons?.find((c) => c.task === task && c.model === model && c.referenceRole === role);
}

/**
 * The summary of the mean over the target tasks: per model, the mean over seeds of each run's mean target AUC (the
 * quantity early stopping and the comparisons rank on); best as `statistics.leaders` says.
 */
export function meanOfTargetsSummary(result: Pick<CompareResult, 'results' | 'targetTasks' | 'statistics'>): TaskSummary | undefined {
  if (result.targetTasks.length < 2) return undefined;
  const models: string[] = [];
  for (const run of result.results) if (!models.includes(run.model)) models.push(run.model);
  const leader = result.statistics?.leaders.find((l) => l.task === MEAN_OF_TARGETS);
  const rows = models.map((model) => {
    const runs = result.results.filter((r) => r.model === model);
    const perRun = runs.map((r) => {
      const aucs = result.targetTasks.map((t) => r.tasks[t]?.auc);
      return aucs.every((a): a is number => typeof a === 'number') ? aucs.reduce((x, y) => x + y, 0) / aucs.length : null;
    });
    const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
    return {
      model,
      auc: seedStatistic(perRun),
      logloss: seedStatistic(
        runs.map((r) => {
          const ls = result.targetTasks.map((t) => r.tasks[t]?.logloss);
          return ls.every((l): l is number => typeof l === 'number') ? ls.reduce((x, y) => x + y, 0) / ls.length : null;
        }),
      ),
      trainSeconds: mean(runs.map((r) => r.trainSeconds)),
      trainSamplesPerSec: mean(runs.map((r) => r.trainSamplesPerSec)),
      best: leader?.best === true && leader.model === model,
    };
  });
  return { task: MEAN_OF_TARGETS, target: true, rows };
}

/** How {@link formatComparisonTable} prints. */
export interface TableStyle {
  /** Bold the best model per task with ANSI escapes (for a terminal). Default false. */
  color?: boolean;
}

/** `0.9412 ± 0.0010`, or `n/a`. */
export function formatStatistic(stat: SeedStatistic, digits = 4): string {
  if (stat.mean === null) return 'n/a';
  return stat.n > 1 ? `${stat.mean.toFixed(digits)} ± ${stat.sd!.toFixed(digits)}` : stat.mean.toFixed(digits);
}

/**
 * The comparison as a text table: one block per task (and one for the mean of the targets), a row per model with test
 * AUC mean ± sd over seeds, then, on targets, the difference from each reference (single-task, the best baseline by
 * validation) with ± its 95% CI half-width and † where the Holm-adjusted p < 0.05; mean log loss, training seconds and
 * throughput. `*` marks a model best only when it is significantly above the runner-up. On simulated data a second
 * table gives each model's share of the gap between single-task and the true probabilities closed.
 */
export function formatComparisonTable(result: CompareResult, style: TableStyle = {}): string {
  const summaries = summarizeComparison(result);
  const mean = meanOfTargetsSummary(result);
  if (mean) summaries.push(mean);
  const seeds = new Set(result.results.map((r) => r.seed)).size;
  const alpha = result.statistics?.alpha ?? 0.05;
  const refs = referenceColumns(result);
  const header = [
    'model',
    seeds > 1 ? `test AUC (mean ± sd, ${seeds} seeds)` : 'test AUC',
    ...refs.map((r) => `Δ vs ${r.model} (± 95% CI)`),
    'logloss',
    'train s',
    'samples/s',
  ];
  const isTarget = (s: TaskSummary) => s.target;
  const blocks: string[][][] = summaries.map((s) =>
    s.rows.map((r) => [
      `${r.best ? '*' : ' '} ${r.model}`,
      formatStatistic(r.auc),
      ...refs.map((ref) =>
        isTarget(s) ? formatDelta(findComparison(result, s.task, r.model, ref.role), alpha, r.model === ref.model) : '',
      ),
      r.logloss.mean === null ? 'n/a' : r.logloss.mean.toFixed(4),
      r.trainSeconds.toFixed(1),
      Math.round(r.trainSamplesPerSec).toString(),
    ]),
  );
  const optimalLabel = '  (true probabilities)';
  const widths = header.map((h, c) =>
    Math.max(
      h.length + (c === 0 ? 2 : 0),
      c === 0 && result.optimalAuc ? optimalLabel.length : 0,
      ...blocks.flat().map((row) => row[c]!.length),
    ),
  );
  // The Δ columns are shown in the blocks of the targets (and their mean) only: other tasks have no comparisons.
  const deltaColumns = new Set(refs.map((_, i) => 2 + i));
  const line = (cells: string[], target = true) =>
    cells
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
      .filter((_, c) => target || !deltaColumns.has(c))
      .join('  ')
      .trimEnd();
  const lines: string[] = [
    `${result.dataset}${result.taskSet ? ` (${result.taskSet})` : ''}: ${result.results.length} runs, backend ${result.backend}, ` +
      `train/validation/test ${result.splits.train}/${result.splits.validation}/${result.splits.test} rows`,
    `protocol: up to ${result.protocol.epochs} epochs, batch ${result.protocol.batchSize}, Adam ${result.protocol.learningRate}, ` +
      `early stopping on ${result.protocol.monitor} (patience ${result.protocol.patience}), best weights restored, test evaluated once`,
    ...configurationLines(result),
  ];
  const space = result.statistics?.testSpace;
  if (space) {
    lines.push(
      `test rows (positives) in each task's own sample space: ${result.taskNames
        .filter((t) => space[t])
        .map((t) => `${t} ${space[t]!.rows} (${space[t]!.positives})`)
        .join(', ')}`,
    );
  }
  summaries.forEach((s, i) => {
    const counts = space?.[s.task] ? `, ${space[s.task]!.positives} test positives of ${space[s.task]!.rows} rows` : '';
    lines.push('', `${s.task}${s.target && s.task !== MEAN_OF_TARGETS ? ' (target)' : ''}${counts}`);
    lines.push(line(['  ' + header[0]!, ...header.slice(1)], s.target));
    s.rows.forEach((r, j) => {
      const text = line(blocks[i]![j]!, s.target);
      lines.push(r.best && style.color ? `\u001b[1m${text}\u001b[22m` : text);
    });
    const optimal = result.optimalAuc?.[s.task];
    if (optimal !== undefined) lines.push(line([optimalLabel, optimal.toFixed(4), ...refs.map(() => ''), '', '', ''], s.target));
    const leader = result.statistics?.leaders.find((l) => l.task === s.task);
    if (leader && !leader.best && leader.runnerUp) {
      lines.push(
        `  no model is best: ${leader.model} − ${leader.runnerUp} = ${leader.deltaAuc === null ? 'n/a' : `${leader.deltaAuc >= 0 ? '+' : '−'}${Math.abs(leader.deltaAuc).toFixed(4)}, p = ${leader.p!.toPrecision(2)}`} (not significant)`,
      );
    }
  });
  lines.push(
    '',
    result.statistics
      ? `* = best: highest mean test AUC and significantly above the runner-up (p < ${alpha}); Δ = model − reference, mean over seeds, ± half the 95% CI; † = Holm-adjusted p < ${alpha} (${result.statistics.holmFamily})`
      : '* = best: needs the statistics of the comparison (absent from this result), so no model is marked',
  );
  if (result.statistics?.references.bestBaseline) {
    const b = result.statistics.references.bestBaseline;
    lines.push(
      `best baseline by validation: ${b.model} (mean validation monitor ${b.validationMonitor.toFixed(4)})${b.model === result.statistics.references.singleTask ? ', the same reference as single-task' : ''}`,
    );
  }
  if (result.optimalAuc) lines.push("(true probabilities) = the AUC of the simulator's true probabilities, the best possible");
  const gap = result.statistics?.gapClosed;
  if (gap && gap.length) lines.push('', ...formatGapClosed(result));
  if (result.trainRowsCurve?.length) lines.push('', ...formatCurve(result));
  for (const note of result.statistics?.notes ?? []) lines.push(`note: ${note}`);
  for (const { model, reason } of result.leftOut ?? []) lines.push(`left out ${model}: ${reason}`);
  if (result.missingRuns?.length)
    lines.push(`partial result: ${result.missingRuns.length} runs did not finish (${result.missingRuns.join(', ')})`);
  return `${lines.join('\n')}\n`;
}

/** The share of the gap closed: a row per model, a column per target, `0.42 [0.10, 0.74]`. */
function formatGapClosed(result: CompareResult): string[] {
  const gap = result.statistics!.gapClosed!;
  const tasks = result.targetTasks.filter((t) => gap.some((g) => g.task === t));
  const models = [...new Set(gap.map((g) => g.model))];
  const cell = (task: string, model: string) => {
    const g = gap.find((x) => x.task === task && x.model === model);
    return g?.share == null || !g.ci95 ? 'n/a' : `${g.share.toFixed(2)} [${g.ci95[0].toFixed(2)}, ${g.ci95[1].toFixed(2)}]`;
  };
  const rows = [['model', ...tasks], ...models.map((m) => [m, ...tasks.map((t) => cell(t, m))])];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const reference = gap[0]?.reference ?? 'single-task';
  return [
    `share of the gap closed between ${reference} (0) and the true probabilities (1), mean over seeds [95% CI]:`,
    ...rows.map((r) => `  ${r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')}`.trimEnd()),
  ];
}

/** The data-efficiency curve: a row per model and training size, a column per target and the mean of targets. */
function formatCurve(result: CompareResult): string[] {
  const curve = result.trainRowsCurve!;
  const tasks = [...result.targetTasks, ...(result.targetTasks.length > 1 ? [MEAN_OF_TARGETS] : [])];
  const models = result.protocol.models;
  const rows: string[][] = [['train rows', 'model', ...tasks]];
  for (const point of curve) {
    for (const model of models) {
      const cells = tasks.map((t) => {
        const p = point.points.find((x) => x.model === model && x.task === t);
        return p?.auc == null || !p.ci95 ? 'n/a' : `${p.auc.toFixed(4)} ± ${((p.ci95[1] - p.ci95[0]) / 2).toFixed(4)}`;
      });
      rows.push([String(point.trainRows), model, ...cells]);
    }
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const positives = curve.map((p) => `${p.trainRows}: ${result.targetTasks.map((t) => `${t} ${p.trainPositives[t] ?? 'n/a'}`).join(', ')}`);
  return [
    'data-efficiency curve: test AUC (mean over seeds ± half the 95% CI) per training size',
    `training positives per target: ${positives.join('; ')}`,
    ...rows.map((r) => `  ${r.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')}`.trimEnd()),
  ];
}

/**
 * The comparison as a Markdown table (for docs and pull requests): a row per task (and the mean of targets) and model
 * with test AUC mean ± sd, the differences from the references on targets (± half the 95% CI, † where the
 * Holm-adjusted p < 0.05), log loss, training seconds and throughput; a model in bold only when it is significantly
 * above the runner-up.
 */
export function formatComparisonMarkdown(result: CompareResult): string {
  const summaries = summarizeComparison(result);
  const mean = meanOfTargetsSummary(result);
  if (mean) summaries.push(mean);
  const seeds = new Set(result.results.map((r) => r.seed)).size;
  const alpha = result.statistics?.alpha ?? 0.05;
  const refs = referenceColumns(result);
  const space = result.statistics?.testSpace;
  const header = [
    'task',
    'model',
    `test AUC${seeds > 1 ? ` (mean ± sd, ${seeds} seeds)` : ''}`,
    ...refs.map((r) => `Δ vs ${r.model} (± 95% CI)`),
  ];
  const lines = [`| ${[...header, 'logloss', 'train s', 'samples/s'].join(' | ')} |`, `|${'---|'.repeat(header.length + 3)}`];
  for (const s of summaries) {
    s.rows.forEach((r, i) => {
      const bold = (text: string) => (r.best ? `**${text}**` : text);
      const about = [
        s.target && s.task !== MEAN_OF_TARGETS ? 'target' : '',
        space?.[s.task] ? `${space[s.task]!.positives} test positives` : '',
      ]
        .filter(Boolean)
        .join(', ');
      const task = i === 0 ? `${s.task}${about ? ` (${about})` : ''}` : '';
      const deltas = refs.map((ref) =>
        s.target ? formatDelta(findComparison(result, s.task, r.model, ref.role), alpha, r.model === ref.model).trim() : '',
      );
      lines.push(
        `|${task ? ` ${task} ` : ' '}| ${bold(r.model)} | ${bold(formatStatistic(r.auc))} |${deltas.map((d) => (d ? ` ${d} |` : ' |')).join('')} ${r.logloss.mean === null ? 'n/a' : r.logloss.mean.toFixed(4)} | ${r.trainSeconds.toFixed(1)} | ${Math.round(r.trainSamplesPerSec)} |`,
      );
    });
    const optimal = result.optimalAuc?.[s.task];
    if (optimal !== undefined) lines.push(`| | *true probabilities* | *${optimal.toFixed(4)}* |${' |'.repeat(refs.length + 3)}`);
  }
  return `${lines.join('\n')}\n`;
}
