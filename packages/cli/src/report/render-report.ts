import type { ModelRegistry } from '@ektm/core';
import type { CompareResult } from '../compare/compare-result.js';
import { formatStatistic } from '../compare/format-table.js';
import { summarizeComparison } from '../compare/summarize.js';
import { MODELS } from '../models/models.js';
import { echartsSource } from './echarts-source.js';
import { escapeHtml } from './escape-html.js';
import { modelsSection } from './models-section.js';
import { REPORT_SCRIPT } from './report-script.js';
import { tuningScript, tuningSection } from './tuning-section.js';
import { significanceSection } from './significance-section.js';
import { SIGNIFICANCE_SCRIPT } from './significance-script.js';

export { escapeHtml } from './escape-html.js';

/** Options of {@link renderReport}. */
export interface ReportOptions {
  /** Page title. Default `ektm compare: <dataset>`. */
  title?: string;
  /** The command that produced the result, shown so a reader can reproduce it. */
  command?: string;
  /** Where the models' descriptions and papers are looked up. Default: the CLI's `MODELS`. */
  registry?: ModelRegistry;
}

/** JSON that can sit inside a `<script>` element (no `</script>`, no `<!--`). */
function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function resultsTable(result: CompareResult): string {
  const summaries = summarizeComparison(result);
  const space = result.statistics?.testSpace;
  const positives = (task: string) => (space?.[task] ? `<br><small>${space[task]!.positives} test positives</small>` : '');
  const rows: string[] = [];
  for (const s of summaries) {
    s.rows.forEach((r, i) => {
      const cells = [
        i === 0
          ? `<th rowspan="${s.rows.length + (result.optimalAuc?.[s.task] !== undefined ? 1 : 0)}" scope="rowgroup">${escapeHtml(s.task)}${s.target ? ' <small>(target)</small>' : ''}${positives(s.task)}</th>`
          : '',
        `<td>${escapeHtml(r.model)}</td>`,
        `<td class="num">${escapeHtml(formatStatistic(r.auc))}</td>`,
        `<td class="num">${r.logloss.mean === null ? 'n/a' : r.logloss.mean.toFixed(4)}</td>`,
        `<td class="num">${r.trainSeconds.toFixed(1)}</td>`,
        `<td class="num">${Math.round(r.trainSamplesPerSec)}</td>`,
      ];
      rows.push(`<tr${r.best ? ' class="best"' : ''}>${cells.join('')}</tr>`);
    });
    const optimal = result.optimalAuc?.[s.task];
    if (optimal !== undefined)
      rows.push(
        `<tr class="optimal"><td><i>true probabilities</i></td><td class="num"><i>${optimal.toFixed(4)}</i></td><td></td><td></td><td></td></tr>`,
      );
  }
  return `<table id="results"><thead><tr><th>task</th><th>model</th><th>test AUC (mean ± sd)</th><th>logloss</th><th>train s</th><th>samples/s</th></tr></thead><tbody>${rows.join('\n')}</tbody></table>`;
}

/**
 * A self-contained HTML page for a comparison: the results table (a model in bold only when significantly above the
 * runner-up), the evidence (test positives per task, a forest plot of the differences from each reference with their
 * CIs, the significance table, the share of the gap closed, the data-efficiency curve), a bar chart
 * of test AUC per task and model with the seed spread, the validation curves per epoch, and heatmaps of the
 * router's task similarity and the gates' expert weights where the models output them, and, when the models were tuned
 * (`--tune-trials`), how (the trial scores over the compute spent, each parameter against the score). echarts is inlined,
 * so the page needs no network.
 */
export function renderReport(result: CompareResult, options: ReportOptions = {}): string {
  const title = options.title ?? `ektm compare: ${result.dataset}${result.taskSet ? ` (${result.taskSet})` : ''}`;
  const p = result.protocol;
  const meta = [
    `backend <b>${escapeHtml(result.backend)}</b>`,
    `${result.results.length} runs (${p.models.length} models × ${p.seeds.length} seeds: ${p.seeds.join(', ')})`,
    `split rows train/validation/test ${result.splits.train}/${result.splits.validation}/${result.splits.test}`,
    `up to ${p.epochs} epochs, batch ${p.batchSize}, Adam ${p.learningRate}, early stopping on ${escapeHtml(p.monitor)} with patience ${p.patience}; best weights restored; test split evaluated once`,
    `finished ${escapeHtml(result.createdAt)}`,
    ...(result.leftOut ?? []).map((l) => `left out <b>${escapeHtml(l.model)}</b>: ${escapeHtml(l.reason)}`),
    ...(result.missingRuns?.length
      ? [`<b>partial result</b>: ${result.missingRuns.length} runs did not finish (${escapeHtml(result.missingRuns.join(', '))})`]
      : []),
  ];
  // The inlined library must not close the script element it sits in.
  const library = echartsSource().replace(/<\/script/gi, '<\\/script');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body { font-family: system-ui, -apple-system, 'Segoe UI', sans-serif; margin: 24px auto; max-width: 1100px; color: #222; padding: 0 16px; }
h1 { font-size: 22px; margin-bottom: 4px; } h2 { font-size: 17px; margin-top: 32px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
.meta { color: #555; font-size: 13px; line-height: 1.6; } code { background: #f3f3f3; padding: 1px 4px; border-radius: 3px; }
table { border-collapse: collapse; font-size: 13px; margin-top: 8px; } th, td { border-bottom: 1px solid #e4e4e4; padding: 4px 10px; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; } tr.best td { font-weight: 700; background: #eef6ee; }
.chart { width: 100%; height: 420px; } tr.significant td { background: #f3f8ff; } .chart.small { height: 340px; display: inline-block; width: 49%; vertical-align: top; }
.chart.mini { height: 220px; display: inline-block; width: 33%; vertical-align: top; }
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<div class="meta">${meta.map((m) => `<div>${m}</div>`).join('\n')}${options.command ? `<div>reproduce: <code>${escapeHtml(options.command)}</code></div>` : ''}</div>
<h2>Results</h2>
${resultsTable(result)}
${significanceSection(result)}
<h2>Models</h2>
${modelsSection(p.models, options.registry ?? MODELS)}
<h2>Test AUC per task</h2>
<div id="chart-auc" class="chart"></div>
<h2>Training curves</h2>
<div id="chart-curve-auc" class="chart"></div>
<div id="chart-curve-loss" class="chart"></div>
<h2>Router task similarity and gate weights</h2>
<div id="diagnostics"></div>
${tuningSection(result)}
<script type="application/json" id="ektm-data">${scriptSafeJson({ result })}</script>
<script>${library}</script>
<script>${SIGNIFICANCE_SCRIPT}</script>
<script>${REPORT_SCRIPT}</script>
${tuningScript(result)}
</body>
</html>
`;
}
