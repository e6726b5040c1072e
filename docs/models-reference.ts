/**
 * Builds docs/models.md from the model registry, so that the model table, every model's options and its search space
 * cannot drift from the code: the test compares the file with this output, and `EKTM_UPDATE_DOCS=1` rewrites it.
 */
import { MODELS } from '@ektm/cli';
import { COMMON_MODEL_OPTION_SCHEMA, optionPaths, optionAt, type OptionDoc, type OptionSchema, type SearchSpace } from '@ektm/core';

/** A table cell: pipes escaped, newlines flattened. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function typeText(doc: OptionDoc): string {
  const types = typeof doc.type === 'string' ? [doc.type] : doc.type;
  const choices = doc.choices ? ` (${doc.choices.map((c) => JSON.stringify(c)).join(', ')})` : '';
  return `${types.join(' or ')}${choices}`;
}

function defaultText(doc: OptionDoc): string {
  if (doc.defaultText !== undefined) return doc.defaultText;
  return doc.default === undefined ? '' : `\`${JSON.stringify(doc.default)}\``;
}

/** Every option path of a schema as table rows: path, type, default, what it does. */
function optionsTable(schema: OptionSchema): string[] {
  return [
    '| option | type | default | what it does |',
    '|---|---|---|---|',
    ...optionPaths(schema).map((path) => {
      const doc = optionAt(schema, path)!;
      return `| \`${path}\` | ${cell(typeText(doc))} | ${cell(defaultText(doc))} | ${cell(doc.doc)} |`;
    }),
  ];
}

function distributionText(distribution: SearchSpace[string]): string {
  const [kind, value] = Object.entries(distribution).find(([k]) => k !== 'when')!;
  const when = Object.entries(distribution.when ?? {}).map(
    ([key, accepted]) => `\`${key}\` ${Array.isArray(accepted) ? 'in' : '='} ${JSON.stringify(accepted)}`,
  );
  return `${kind} ${JSON.stringify(value)}${when.length ? `, only when ${when.join(' and ')}` : ''}`;
}

/** The full text of docs/models.md. */
export function modelsReference(): string {
  const models = MODELS.list();
  const parts = [
    '# Models',
    '',
    '<!-- Generated from the model registry by docs/models-reference.test.ts (EKTM_UPDATE_DOCS=1 rewrites it). -->',
    '',
    'Every model `ektm train --model` and `ektm compare --models` accept, from the one model registry (`MODELS` in',
    '`@ektm/cli`, built from `BASELINE_MODELS` of `@ektm/baselines` and `EKTM_MODELS` of `@ektm/model`). `ektm compare`',
    'runs the main models when `--models` is not given, and leaves out, with one line saying why, a model that cannot',
    'run on the task set. [Adding a model](adding-a-model.md) shows how to add one.',
    '',
    '| model | family | main | what it is | paper |',
    '|---|---|---|---|---|',
    ...models.map((m) => `| \`${m.name}\` | ${m.family} | ${m.main ? 'yes' : ''} | ${cell(m.description)} | ${cell(m.paper)} |`),
    '',
    '## Options every model takes',
    '',
    'Unknown or mistyped keys are rejected before the model is built (a `ConfigError` naming the key).',
    '',
    ...optionsTable(COMMON_MODEL_OPTION_SCHEMA),
    '',
    '## Search spaces',
    '',
    "Each model's search space says what a tuner may vary: keys are training options (`learningRate`, `batchSize`,",
    "`weightDecay` for L2, `earlyStopping.patience`, ...) or the model's own options as dotted paths; `log [lo, hi]` is",
    'log-uniform, `uniform [lo, hi]` uniform, `int [lo, hi]` an integer in the range, `choice [...]` one of the values;',
    'a key with "only when" is drawn only when the keys it names drew those values (see `SearchSpace` in `@ektm/core`).',
    '[Tuning](tuning.md) explains how `ektm tune` searches them.',
  ];
  const documented = new Map<OptionSchema, string>();
  for (const m of models) {
    parts.push('', `## ${m.name}`, '', `${m.description}. ${m.paper}.`, '');
    const same = documented.get(m.options);
    if (same) parts.push(`Options: as [\`${same}\`](#${same}).`);
    else {
      documented.set(m.options, m.name);
      parts.push('Options:', '', ...optionsTable(m.options));
    }
    parts.push(
      '',
      'Search space:',
      '',
      '| key | distribution |',
      '|---|---|',
      ...Object.entries(m.searchSpace).map(([key, d]) => `| \`${key}\` | ${cell(distributionText(d))} |`),
    );
  }
  return `${parts.join('\n')}\n`;
}
