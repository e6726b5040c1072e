import type { CompareResult } from '../compare/compare-result.js';
import { formatBudget, formatDuration } from '../tune/tune-budget.js';
import { escapeHtml } from './escape-html.js';
import { TUNING_SCRIPT } from './tuning-script.js';

function valueText(value: unknown): string {
  if (typeof value === 'number' && !Number.isInteger(value)) return String(Number(value.toPrecision(3)));
  return JSON.stringify(value);
}

/** One line of `key value` pairs: a configuration in a table cell. */
function configText(values: Record<string, unknown>): string {
  return Object.entries(values)
    .map(([k, v]) => `${k} ${valueText(v)}`)
    .join(', ');
}

/**
 * The report's tuning section (empty when the comparison neither tuned nor was given configurations): how every model
 * was tuned (the same trials, budget and seed), a table of each model's winner, the trial scores over the compute
 * spent, and every searched parameter against the score; the charts are drawn by {@link tuningScript}.
 */
export function tuningSection(result: CompareResult): string {
  const tuning = result.tuning;
  if (!tuning) {
    const configs = Object.entries(result.configs ?? {});
    if (configs.length === 0) return '';
    const rows = configs.map(
      ([model, c]) =>
        `<tr><td>${escapeHtml(model)}</td><td>${escapeHtml(configText({ ...c.training, ...c.options }))}</td><td>${c.tuning ? `trial ${c.tuning.trial} of a search on ${escapeHtml(c.tuning.dataset)} (score ${c.tuning.score.toFixed(4)})` : ''}</td></tr>`,
    );
    return `<h2>Configurations</h2>
<div class="meta">These models ran with a configuration (--config) instead of the protocol's values.</div>
<table id="configs"><thead><tr><th>model</th><th>configuration</th><th>from</th></tr></thead><tbody>${rows.join('\n')}</tbody></table>`;
  }
  const rows = Object.entries(tuning.models).map(([model, m]) => {
    const cells = [
      escapeHtml(model),
      String(m.runs.length),
      `${m.best.trial} (rung ${m.best.rung})`,
      m.best.score === null ? 'n/a' : m.best.score.toFixed(4),
      formatDuration(m.runs.reduce((s, r) => s + r.seconds, 0)),
      escapeHtml(configText(m.best.config)),
    ];
    return `<tr>${cells.map((c, i) => `<td${i > 0 && i < 5 ? ' class="num"' : ''}>${c}</td>`).join('')}</tr>`;
  });
  return `<h2>Tuning</h2>
<div class="meta">Every model was tuned before the seeds with the same budget: ${tuning.trials} trials, budget ${escapeHtml(formatBudget(tuning.budget, tuning.trials))}, seed ${tuning.seed}; selected on the ${escapeHtml(tuning.monitor)} (validation split only; the test split was not loaded while tuning). The final runs above use each model's winner.</div>
<table id="tuning"><thead><tr><th>model</th><th>runs</th><th>best trial</th><th>best validation score</th><th>compute</th><th>winning configuration</th></tr></thead><tbody>${rows.join('\n')}</tbody></table>
<div id="chart-tuning-scores" class="chart"></div>
<div id="tuning-parameters"></div>`;
}

/** The script that draws the tuning charts (after the report's own script), or nothing when the comparison did not tune. */
export function tuningScript(result: CompareResult): string {
  return result.tuning ? `<script>${TUNING_SCRIPT}</script>` : '';
}
