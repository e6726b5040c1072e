import type { ModelRegistry } from '@ektm/core';
import { escapeHtml } from './escape-html.js';

/**
 * The report's table of the models that ran: family, one-line description and paper, from the model registry, so that a
 * reader knows what each name in the results means. A model the registry does not know (registered by another process)
 * gets its name only.
 */
export function modelsSection(models: readonly string[], registry: ModelRegistry): string {
  const rows = models.map((name) => {
    const known = registry.has(name) ? registry.get(name) : undefined;
    const cells = [name, known?.family ?? '', known?.description ?? '', known?.paper ?? ''].map((c) => `<td>${escapeHtml(c)}</td>`);
    return `<tr>${cells.join('')}</tr>`;
  });
  return `<table id="models"><thead><tr><th>model</th><th>family</th><th>what it is</th><th>paper</th></tr></thead><tbody>${rows.join('\n')}</tbody></table>`;
}
