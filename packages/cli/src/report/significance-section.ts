import { MEAN_OF_TARGETS, type Comparison, type CompareResult } from '../compare/compare-result.js';
import { escapeHtml } from './escape-html.js';

const fixed = (x: number | null | undefined, digits = 4) => (x === null || x === undefined ? 'n/a' : x.toFixed(digits));
const signed = (x: number | null) => (x === null ? 'n/a' : `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(4)}`);
const pValue = (p: number | null) => (p === null ? 'n/a' : p < 1e-4 ? p.toExponential(1) : p.toPrecision(2));

/** The test rows and positives of every task in its own sample space: what decides the power of every comparison. */
function testSpaceTable(result: CompareResult): string {
  const space = result.statistics?.testSpace ?? {};
  const rows = result.taskNames
    .filter((t) => space[t])
    .map(
      (t) =>
        `<tr><td>${escapeHtml(t)}${result.targetTasks.includes(t) ? ' <small>(target)</small>' : ''}</td><td class="num">${space[t]!.rows}</td><td class="num">${space[t]!.positives}</td></tr>`,
    );
  return `<table id="test-space"><thead><tr><th>task</th><th>test rows in its sample space</th><th>test positives</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** Every comparison: reference, task, model, Δ with its CI, p, Holm-adjusted p, the mark, and how seeds were combined. */
function significanceTable(result: CompareResult): string {
  const alpha = result.statistics?.alpha ?? 0.05;
  const single = result.statistics?.references.singleTask;
  // When single-task is also the best baseline its comparisons are listed once.
  const listed = (result.comparisons ?? []).filter((c) => !(c.referenceRole === 'best baseline' && c.reference === single));
  const rows = listed.map((c: Comparison) => {
    const significant = c.pHolm !== null && c.pHolm < alpha;
    const cells = [
      `${escapeHtml(c.reference)} <small>(${escapeHtml(c.referenceRole)})</small>`,
      escapeHtml(c.task),
      escapeHtml(c.model),
      `<span class="num">${signed(c.deltaAuc)}</span>`,
      c.ci95 ? `[${signed(c.ci95[0])}, ${signed(c.ci95[1])}]` : 'n/a',
      pValue(c.p),
      pValue(c.pHolm),
      significant ? '†' : '',
      `<small>${escapeHtml(c.method)}</small>`,
    ];
    return `<tr${significant ? ' class="significant"' : ''}>${cells.map((x) => `<td>${x}</td>`).join('')}</tr>`;
  });
  return `<table id="significance"><thead><tr><th>reference</th><th>task</th><th>model</th><th>Δ AUC</th><th>95% CI</th><th>p</th><th>p (Holm)</th><th></th><th>how</th></tr></thead><tbody>${rows.join('\n')}</tbody></table>`;
}

/** The share of the gap closed per target and model with its CI. */
function gapClosedTable(result: CompareResult): string {
  const rows = (result.statistics?.gapClosed ?? []).map(
    (g) =>
      `<tr><td>${escapeHtml(g.task)}</td><td>${escapeHtml(g.model)}</td><td class="num">${fixed(g.share, 3)}</td><td>${g.ci95 ? `[${g.ci95[0].toFixed(3)}, ${g.ci95[1].toFixed(3)}]` : 'n/a'}</td><td class="num">${g.aucOptimal.toFixed(4)}</td><td><small>${escapeHtml(g.method)}</small></td></tr>`,
  );
  return `<table id="gap-closed"><thead><tr><th>target</th><th>model</th><th>share of the gap closed</th><th>95% CI</th><th>AUC of the true probabilities</th><th>how</th></tr></thead><tbody>${rows.join('\n')}</tbody></table>`;
}

/**
 * The report's evidence: test positives per task, a forest plot of every model's difference from each reference with its
 * 95% CI (one chart a reference), the table of every comparison with p and Holm-adjusted p, on simulated data the share
 * of the gap to the true probabilities closed, and with `--train-rows` the data-efficiency curve. The charts are drawn by
 * the report script from the embedded result.
 */
export function significanceSection(result: CompareResult): string {
  const stats = result.statistics;
  if (!stats) {
    return '<h2>Is the difference real?</h2><p>This result carries no statistics (written by an older version of ektm compare).</p>';
  }
  const refs = [...new Set([stats.references.singleTask, stats.references.bestBaseline?.model])].filter(
    (r): r is string => typeof r === 'string',
  );
  const best = stats.references.bestBaseline;
  const parts = [
    '<h2>Is the difference real?</h2>',
    `<p class="meta">Each model against ${refs.map((r) => `<b>${escapeHtml(r)}</b>`).join(' and ') || 'no reference'} on every target and on the ${escapeHtml(MEAN_OF_TARGETS)}: ` +
      `the difference in test AUC (model − reference, mean over seeds) with its 95% CI. DeLong's paired test on the same test rows, ` +
      `seeds combined as <code>@ektm/stats</code> does (the method column says how). † = Holm-adjusted p &lt; ${stats.alpha} (${escapeHtml(stats.holmFamily)}).` +
      `${best ? ` Best baseline by validation: <b>${escapeHtml(best.model)}</b> (mean validation monitor ${best.validationMonitor.toFixed(4)}).` : ''}</p>`,
    testSpaceTable(result),
    ...refs.map((r, i) => `<div id="chart-forest-${i}" class="chart forest" data-reference="${escapeHtml(r)}"></div>`),
    significanceTable(result),
    ...stats.notes.map((n) => `<p class="meta">note: ${escapeHtml(n)}</p>`),
  ];
  if (stats.gapClosed?.length) {
    parts.push(
      '<h2>Share of the gap to the true probabilities closed</h2>',
      `<p class="meta">(AUC<sub>model</sub> − AUC<sub>${escapeHtml(stats.gapClosed[0]!.reference)}</sub>) / (AUC<sub>true probabilities</sub> − AUC<sub>${escapeHtml(stats.gapClosed[0]!.reference)}</sub>) per target: 0 is no better than the reference, 1 is the best possible.</p>`,
      '<div id="chart-gap" class="chart"></div>',
      gapClosedTable(result),
    );
  }
  if (result.trainRowsCurve?.length) {
    const tasks = [...result.targetTasks, ...(result.targetTasks.length > 1 ? [MEAN_OF_TARGETS] : [])];
    parts.push(
      '<h2>Data efficiency: test AUC against training positives</h2>',
      `<p class="meta">Training sizes ${result.trainRowsCurve.map((p) => p.trainRows).join(', ')} rows (nested: each a prefix of one seeded shuffle of the training split); bars = 95% CI. The mean of targets is drawn against the training positives of the sparsest target.</p>`,
      ...tasks.map((t, i) => `<div id="chart-rows-${i}" class="chart small" data-task="${escapeHtml(t)}"></div>`),
    );
  }
  return parts.join('\n');
}
