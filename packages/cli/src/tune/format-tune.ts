import { formatDuration } from './tune-budget.js';
import type { TuneResult } from './tune-result.js';

function valueText(value: unknown): string {
  if (typeof value === 'number' && !Number.isInteger(value)) return String(Number(value.toPrecision(4)));
  return JSON.stringify(value);
}

/**
 * What `ektm tune` prints when it is done: one line per rung (runs, best score), the winner's score and configuration,
 * and where best.json is.
 */
export function formatTuneResult(result: TuneResult): string {
  const unit = result.budget.kind === 'epochs' ? 'epochs' : 'time';
  const lines = [
    `${result.model} on ${result.dataset} (${result.taskSet}): ${result.trials} trials, ${result.runs.length} runs ` +
      `(${result.reused} recorded before) in ${formatDuration(result.seconds)}; score: ${result.monitor}`,
    '',
    `rung  ${unit.padStart(6)}  runs  best score`,
  ];
  for (const rung of result.rungs) {
    const scores = result.runs.filter((r) => r.rung === rung.rung && r.score !== null).map((r) => r.score!);
    const resource = result.budget.kind === 'epochs' ? String(rung.resource) : formatDuration(rung.resource);
    lines.push(
      `${String(rung.rung).padEnd(4)}  ${resource.padStart(6)}  ${`${rung.finished}/${rung.size}`.padStart(4)}  ${scores.length ? Math.max(...scores).toFixed(4) : 'n/a'}`,
    );
  }
  const failed = result.runs.filter((r) => r.status !== 'ok').length;
  if (failed > 0) lines.push(`${failed} run(s) diverged or failed (see trials.jsonl)`);
  if (result.best) {
    const best = result.best;
    lines.push(
      '',
      `best: trial ${best.trial}, rung ${best.rung}: ${best.score!.toFixed(4)} (best epoch ${best.bestEpoch ?? 'n/a'} of ${best.epochs})`,
    );
    const width = Math.max(...Object.keys(best.config).map((k) => k.length));
    for (const [key, value] of Object.entries(best.config)) lines.push(`  ${key.padEnd(width)}  ${valueText(value)}`);
    const tasks = Object.entries(best.validation ?? {});
    if (tasks.length) lines.push(`  validation AUC: ${tasks.map(([t, m]) => `${t} ${m.auc?.toFixed(4) ?? 'n/a'}`).join(', ')}`);
  }
  if (result.files.best)
    lines.push('', `best configuration: ${result.files.best} (use it with ektm train --config, ektm compare --config ${result.model}=...)`);
  return `${lines.join('\n')}\n`;
}
