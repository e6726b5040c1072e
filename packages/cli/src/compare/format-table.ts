import { configurationLines } from '../tune/configuration-lines.js';
import type { CompareResult } from './compare-result.js';
import { summarizeComparison, type SeedStatistic } from './summarize.js';

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
 * The comparison as a text table: one block per task, a row per model with test AUC mean ± sd over seeds,
 * mean log loss, training seconds and throughput. The best model per task (highest mean AUC) is marked
 * with `*` (and bold in a terminal).
 */
export function formatComparisonTable(result: CompareResult, style: TableStyle = {}): string {
  const summaries = summarizeComparison(result);
  const seeds = new Set(result.results.map((r) => r.seed)).size;
  const header = ['model', seeds > 1 ? `test AUC (mean ± sd, ${seeds} seeds)` : 'test AUC', 'logloss', 'train s', 'samples/s'];
  const blocks: string[][][] = summaries.map((s) =>
    s.rows.map((r) => [
      `${r.best ? '*' : ' '} ${r.model}`,
      formatStatistic(r.auc),
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
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
      .join('  ')
      .trimEnd();
  const lines: string[] = [
    `${result.dataset}${result.taskSet ? ` (${result.taskSet})` : ''}: ${result.results.length} runs, backend ${result.backend}, ` +
      `train/validation/test ${result.splits.train}/${result.splits.validation}/${result.splits.test} rows`,
    `protocol: up to ${result.protocol.epochs} epochs, batch ${result.protocol.batchSize}, Adam ${result.protocol.learningRate}, ` +
      `early stopping on ${result.protocol.monitor} (patience ${result.protocol.patience}), best weights restored, test evaluated once`,
    ...configurationLines(result),
  ];
  summaries.forEach((s, i) => {
    lines.push('', `${s.task}${s.target ? ' (target)' : ''}`);
    lines.push(line(['  ' + header[0]!, ...header.slice(1)]));
    s.rows.forEach((r, j) => {
      const text = line(blocks[i]![j]!);
      lines.push(r.best && style.color ? `\u001b[1m${text}\u001b[22m` : text);
    });
    const optimal = result.optimalAuc?.[s.task];
    if (optimal !== undefined) lines.push(line([optimalLabel, optimal.toFixed(4), '', '', '']));
  });
  lines.push(
    '',
    `* = best mean test AUC for the task${result.optimalAuc ? "; (true probabilities) = the AUC of the simulator's true probabilities, the best possible" : ''}`,
  );
  for (const { model, reason } of result.leftOut ?? []) lines.push(`left out ${model}: ${reason}`);
  if (result.missingRuns?.length)
    lines.push(`partial result: ${result.missingRuns.length} runs did not finish (${result.missingRuns.join(', ')})`);
  return `${lines.join('\n')}\n`;
}

/**
 * The comparison as a Markdown table (for docs and pull requests): a row per task and model with test AUC
 * mean ± sd, log loss, training seconds and throughput; the best model per task in bold.
 */
export function formatComparisonMarkdown(result: CompareResult): string {
  const summaries = summarizeComparison(result);
  const seeds = new Set(result.results.map((r) => r.seed)).size;
  const lines = [
    `| task | model | test AUC${seeds > 1 ? ` (mean ± sd, ${seeds} seeds)` : ''} | logloss | train s | samples/s |`,
    '|---|---|---|---|---|---|',
  ];
  for (const s of summaries) {
    s.rows.forEach((r, i) => {
      const bold = (text: string) => (r.best ? `**${text}**` : text);
      const task = i === 0 ? `${s.task}${s.target ? ' (target)' : ''}` : '';
      lines.push(
        `|${task ? ` ${task} ` : ' '}| ${bold(r.model)} | ${bold(formatStatistic(r.auc))} | ${r.logloss.mean === null ? 'n/a' : r.logloss.mean.toFixed(4)} | ${r.trainSeconds.toFixed(1)} | ${Math.round(r.trainSamplesPerSec)} |`,
      );
    });
    const optimal = result.optimalAuc?.[s.task];
    if (optimal !== undefined) lines.push(`| | *true probabilities* | *${optimal.toFixed(4)}* | | | |`);
  }
  return `${lines.join('\n')}\n`;
}
