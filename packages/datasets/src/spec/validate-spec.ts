import type { DownloadSpec, NumericTransformName, PositiveRule } from './dataset-spec.js';
import type {
  NormalisedFeature,
  NormalisedFormat,
  NormalisedSpec,
  NormalisedSplitRule,
  NormalisedTask,
  NormalisedTaskSet,
  SplitName,
} from './normalised-spec.js';
import { SpecReader, describe, join } from './spec-reader.js';
import { resolveSimulatorOptions } from '../synthetic/simulator-options.js';
import { usesDuckDB } from './split-inputs.js';

const SPEC_KEYS = [
  'name',
  'description',
  'format',
  'files',
  'query',
  'split',
  'features',
  'tasks',
  'taskSets',
  'defaultTaskSet',
  'group',
  'vocabulary',
  'synthetic',
  'download',
  '$schema',
] as const;
const FORMAT_KEYS = ['delimiter', 'header', 'columns', 'missing', 'skipLines', 'quote', 'keyValue'] as const;
const FEATURE_KEYS = [
  'column',
  'name',
  'type',
  'embeddingDim',
  'minCount',
  'maxVocabularySize',
  'hashBuckets',
  'transform',
  'buckets',
  'boundaries',
] as const;
const CATEGORICAL_ONLY = ['minCount', 'maxVocabularySize', 'hashBuckets'] as const;
const NUMERIC_ONLY = ['transform', 'buckets', 'boundaries'] as const;
const TASK_KEYS = ['name', 'column', 'positive', 'parent', 'product', 'weight', 'loss', 'allowMissing'] as const;
const RULE_KEYS = ['equals', 'startsWith', 'greaterThan', 'in'] as const;
const TRANSFORMS: readonly NumericTransformName[] = ['log1p', 'standardise', 'buckets'];
const TASK_NAME = /^[A-Za-z_][\w.-]*$/;

/** The validation rule used when a spec gives neither `files.validation` nor `split.validation`. */
export const DEFAULT_VALIDATION_RULE: NormalisedSplitRule = { from: 'train', everyNth: 10, offsets: [9] };

/**
 * Checks a dataset spec (parsed JSON or an object in code) and fills its defaults. Every mistake is a
 * `DatasetError` naming the spec file (`source`) and the key path, e.g.
 * `features[3].transform: "log2" is not allowed; use log1p, standardise, buckets`.
 */
export function validateDatasetSpec(value: unknown, source?: string): NormalisedSpec {
  const r = new SpecReader(source);
  const o = r.object(value, '(spec)', SPEC_KEYS);
  const name = r.string(o.name, 'name');
  const description = o.description === undefined ? undefined : r.string(o.description, 'description');
  const download = o.download === undefined ? undefined : readDownload(r, o.download);

  if (o.synthetic !== undefined) {
    for (const k of ['files', 'query', 'split', 'features', 'tasks', 'taskSets', 'format', 'group'] as const) {
      if (o[k] !== undefined) r.fail(k, 'is not allowed with "synthetic" (the simulator defines its own columns and tasks)');
    }
    const synthetic = resolveSimulatorOptions(o.synthetic, 'synthetic', source);
    const defaultTaskSet = o.defaultTaskSet === undefined ? 'ektm' : r.oneOf(o.defaultTaskSet, 'defaultTaskSet', ['ektm', 'esmm']);
    return {
      name,
      description,
      source,
      download,
      synthetic,
      defaultTaskSet,
      format: readFormat(r, undefined),
      split: {},
      features: [],
      taskSets: {},
    };
  }

  const format = readFormat(r, o.format);
  if (o.files !== undefined && o.query !== undefined) r.fail('query', 'give either files or query, not both');
  if (o.files === undefined && o.query === undefined) {
    r.fail('files', 'is required (the data files: train, and optionally validation and test), or a SQL query per split in "query"');
  }
  const files = o.files === undefined ? undefined : readFiles(r, o.files);
  const query = o.query === undefined ? undefined : readQuery(r, o.query);
  if (usesDuckDB({ files, query })) checkDuckDBFormat(r, format, files);
  const split = readSplit(r, o.split, files ? { key: 'files', splits: files } : { key: 'query', splits: query! });
  const vocabulary = readVocabulary(r, o.vocabulary);
  const features = r.array(o.features, 'features', true).map((f, i) => readFeature(r, f, `features[${i}]`, vocabulary));
  const taskSets = readTaskSets(r, o);
  const names = Object.keys(taskSets);
  const defaultTaskSet = o.defaultTaskSet === undefined ? names[0]! : r.oneOf(o.defaultTaskSet, 'defaultTaskSet', names);
  const group = o.group === undefined ? undefined : r.column(o.group, 'group');
  return {
    name,
    description,
    source,
    format,
    ...(files ? { files } : {}),
    ...(query ? { query } : {}),
    split,
    features,
    taskSets,
    defaultTaskSet,
    group,
    download,
  };
}

function readQuery(r: SpecReader, value: unknown): NonNullable<NormalisedSpec['query']> {
  const o = r.object(value, 'query', ['train', 'validation', 'test']);
  if (o.train === undefined) r.fail('query.train', 'is required');
  const sql = (v: unknown, key: string) => r.string(v, key).trim().replace(/;\s*$/, '');
  return {
    train: sql(o.train, 'query.train'),
    ...(o.validation === undefined ? {} : { validation: sql(o.validation, 'query.validation') }),
    ...(o.test === undefined ? {} : { test: sql(o.test, 'query.test') }),
  };
}

/** DuckDB's readers take no `key:value` rows and no `"auto"` header; such files keep the line reader (no glob). */
function checkDuckDBFormat(r: SpecReader, format: NormalisedFormat, files: NormalisedSpec['files']): void {
  const where = files ? 'Parquet, JSON or glob file entries' : 'a query';
  if (format.keyValue) r.fail('format.keyValue', `applies to text files read line by line, not to ${where} (read through DuckDB)`);
  const globbedText = Object.values(files ?? {}).some((list) =>
    (list as string[] | undefined)?.some((p) => /[*?[]/.test(p) && !/\.(parquet|json|jsonl|ndjson)$/i.test(p)),
  );
  if (format.header === 'auto' && globbedText) {
    r.fail('format.header', '"auto" applies to text files read line by line; a glob of CSV shards is read by DuckDB: use true or false');
  }
}

function readFormat(r: SpecReader, value: unknown): NormalisedFormat {
  const o = value === undefined ? {} : r.object(value, 'format', FORMAT_KEYS);
  const delimiter = o.delimiter === undefined ? ',' : r.string(o.delimiter, 'format.delimiter');
  if (/[\r\n]/.test(delimiter)) r.fail('format.delimiter', 'must not contain a line break');
  const header = o.header === undefined ? true : o.header === 'auto' ? 'auto' : r.boolean(o.header, 'format.header');
  let columns: string[] | undefined;
  if (o.columns !== undefined) {
    columns = r.array(o.columns, 'format.columns', true).map((c, i) => r.string(c, `format.columns[${i}]`));
    const seen = new Set<string>();
    columns.forEach((c, i) => {
      if (seen.has(c)) r.fail(`format.columns[${i}]`, `duplicate column name "${c}"`);
      seen.add(c);
    });
  }
  if (header === 'auto' && !columns) r.fail('format.header', '"auto" needs format.columns (to recognise the header line)');
  const missing =
    o.missing === undefined
      ? []
      : typeof o.missing === 'string'
        ? [o.missing]
        : r.array(o.missing, 'format.missing').map((m, i) => {
            if (typeof m !== 'string') r.fail(`format.missing[${i}]`, `must be a string, not ${describe(m)}`);
            return m.trim();
          });
  const skipLines = o.skipLines === undefined ? 0 : r.integer(o.skipLines, 'format.skipLines', 0);
  let quote: string | null = '"';
  if (o.quote === null) quote = null;
  else if (o.quote !== undefined) {
    quote = r.string(o.quote, 'format.quote');
    if (quote.length !== 1) r.fail('format.quote', `must be one character, not ${describe(quote)}`);
    if (delimiter.includes(quote)) r.fail('format.quote', `must not be part of the delimiter ${describe(delimiter)}`);
  }
  let keyValue: NormalisedFormat['keyValue'];
  if (o.keyValue !== undefined) {
    const kv = r.object(o.keyValue, 'format.keyValue', ['from', 'separator']);
    keyValue = {
      from: r.integer(kv.from, 'format.keyValue.from', 0),
      separator: kv.separator === undefined ? ':' : r.string(kv.separator, 'format.keyValue.separator'),
    };
    if (header === true) r.fail('format.header', 'must be false with keyValue rows (name the leading columns with format.columns)');
    if (columns && columns.length !== keyValue.from) {
      r.fail(
        'format.columns',
        `names the ${keyValue.from} leading columns before the key:value fields, so it needs ${keyValue.from} names, not ${columns.length}`,
      );
    }
  }
  return { delimiter, header, columns, missing: missing.map((m) => m.trim()), skipLines, quote, keyValue };
}

function readFileList(r: SpecReader, value: unknown, key: string): string[] {
  if (typeof value === 'string') return [r.string(value, key)];
  return r.array(value, key, true).map((v, i) => r.string(v, `${key}[${i}]`));
}

function readFiles(r: SpecReader, value: unknown): NonNullable<NormalisedSpec['files']> {
  const o = r.object(value, 'files', ['train', 'validation', 'test']);
  if (o.train === undefined) r.fail('files.train', 'is required');
  return {
    train: readFileList(r, o.train, 'files.train'),
    validation: o.validation === undefined ? undefined : readFileList(r, o.validation, 'files.validation'),
    test: o.test === undefined ? undefined : readFileList(r, o.test, 'files.test'),
  };
}

/** The splits that have inputs of their own, and the spec key that gives them (`files` or `query`). */
interface SplitInputs {
  key: 'files' | 'query';
  splits: Partial<Record<SplitName, unknown>>;
}

function readSplit(r: SpecReader, value: unknown, inputs: SplitInputs): NormalisedSpec['split'] {
  const files = inputs.splits;
  const o = value === undefined ? {} : r.object(value, 'split', ['validation', 'test']);
  const split: NormalisedSpec['split'] = {};
  for (const target of ['validation', 'test'] as const) {
    if (o[target] === undefined) continue;
    const key = `split.${target}`;
    if (files[target]) r.fail(key, `${inputs.key}.${target} is also given; use one or the other`);
    const rule = r.object(o[target], key, ['from', 'everyNth', 'offset']);
    const from: SplitName = rule.from === undefined ? 'train' : r.oneOf(rule.from, `${key}.from`, ['train', 'validation', 'test']);
    if (from === target) r.fail(`${key}.from`, `cannot take ${target} rows from ${target} itself`);
    if (!files[from]) r.fail(`${key}.from`, `"${from}" has no ${inputs.key === 'files' ? 'files' : 'query'} (${inputs.key}.${from})`);
    const everyNth = r.integer(rule.everyNth, `${key}.everyNth`, 2);
    const rawOffsets = typeof rule.offset === 'number' ? [rule.offset] : r.array(rule.offset, `${key}.offset`, true);
    const offsets = rawOffsets.map((v, i) => {
      const k = typeof rule.offset === 'number' ? `${key}.offset` : `${key}.offset[${i}]`;
      const n = r.integer(v, k, 0);
      if (n >= everyNth) r.fail(k, `must be less than everyNth (${everyNth}), not ${n}`);
      return n;
    });
    if (offsets.length >= everyNth) r.fail(`${key}.offset`, `takes every row of "${from}"; leave some for ${from}`);
    split[target] = { from, everyNth, offsets: [...new Set(offsets)] };
  }
  if (!files.validation && !split.validation) split.validation = { ...DEFAULT_VALIDATION_RULE };
  const { validation, test } = split;
  if (validation && test && validation.from === test.from && rulesOverlap(validation, test)) {
    r.fail('split.test', `takes some of the same rows of "${test.from}" as split.validation`);
  }
  return split;
}

/** True when some row index satisfies both rules (checked over one common period). */
function rulesOverlap(a: NormalisedSplitRule, b: NormalisedSplitRule): boolean {
  const gcd = (x: number, y: number): number => (y === 0 ? x : gcd(y, x % y));
  const period = Math.min((a.everyNth / gcd(a.everyNth, b.everyNth)) * b.everyNth, 1_000_000);
  for (let i = 0; i < period; i++) {
    if (a.offsets.includes(i % a.everyNth) && b.offsets.includes(i % b.everyNth)) return true;
  }
  return false;
}

function readVocabulary(r: SpecReader, value: unknown): { minCount: number; maxSize?: number } {
  if (value === undefined) return { minCount: 1 };
  const o = r.object(value, 'vocabulary', ['minCount', 'maxSize']);
  return {
    minCount: o.minCount === undefined ? 1 : r.integer(o.minCount, 'vocabulary.minCount', 1),
    maxSize: o.maxSize === undefined ? undefined : r.integer(o.maxSize, 'vocabulary.maxSize', 1),
  };
}

function readTransforms(r: SpecReader, value: unknown, key: string): NumericTransformName[] {
  if (value === undefined || value === 'none') return [];
  const list = typeof value === 'string' ? [value] : r.array(value, key);
  const single = typeof value === 'string';
  const transforms = list.map((t, i) => {
    const k = single ? key : `${key}[${i}]`;
    return r.oneOf(t === 'standardize' ? 'standardise' : t, k, TRANSFORMS);
  });
  for (let i = 1; i < transforms.length; i++) {
    if (TRANSFORMS.indexOf(transforms[i]!) <= TRANSFORMS.indexOf(transforms[i - 1]!)) {
      r.fail(`${key}[${i}]`, `transforms apply in the order ${TRANSFORMS.join(', ')}, each at most once`);
    }
  }
  return transforms;
}

function readFeature(r: SpecReader, value: unknown, key: string, vocabulary: { minCount: number; maxSize?: number }): NormalisedFeature {
  const o = r.object(value, key, FEATURE_KEYS);
  const type = r.oneOf(o.type, join(key, 'type'), ['categorical', 'numeric'] as const);
  const wrongKeys = type === 'categorical' ? NUMERIC_ONLY : CATEGORICAL_ONLY;
  for (const k of wrongKeys) if (o[k] !== undefined) r.fail(join(key, k), `does not apply to a ${type} feature`);
  const transforms = readTransforms(r, o.transform, join(key, 'transform'));
  const feature: NormalisedFeature = {
    key,
    column: r.column(o.column, join(key, 'column')),
    name: o.name === undefined ? undefined : r.string(o.name, join(key, 'name')),
    type,
    embeddingDim: o.embeddingDim === undefined ? undefined : r.integer(o.embeddingDim, join(key, 'embeddingDim'), 1),
    minCount: o.minCount === undefined ? vocabulary.minCount : r.integer(o.minCount, join(key, 'minCount'), 1),
    maxVocabularySize:
      o.maxVocabularySize === undefined ? vocabulary.maxSize : r.integer(o.maxVocabularySize, join(key, 'maxVocabularySize'), 1),
    hashBuckets: o.hashBuckets === undefined ? undefined : r.integer(o.hashBuckets, join(key, 'hashBuckets'), 1),
    transforms,
  };
  const bucketed = transforms.includes('buckets');
  if (o.buckets !== undefined) feature.buckets = r.integer(o.buckets, join(key, 'buckets'), 2);
  if (o.boundaries !== undefined) {
    const list = r.array(o.boundaries, join(key, 'boundaries'), true).map((b, i) => r.number(b, `${join(key, 'boundaries')}[${i}]`));
    for (let i = 1; i < list.length; i++) {
      if (!(list[i]! > list[i - 1]!)) r.fail(`${join(key, 'boundaries')}[${i}]`, 'boundaries must be strictly ascending');
    }
    feature.boundaries = list;
  }
  if (bucketed && (feature.buckets === undefined) === (feature.boundaries === undefined)) {
    r.fail(join(key, 'transform'), '"buckets" needs exactly one of "buckets" (a count) or "boundaries" (a list)');
  }
  if (!bucketed && (feature.buckets !== undefined || feature.boundaries !== undefined)) {
    r.fail(join(key, feature.buckets !== undefined ? 'buckets' : 'boundaries'), 'needs "buckets" in transform');
  }
  return feature;
}

function readTaskSets(r: SpecReader, o: Record<string, unknown>): Record<string, NormalisedTaskSet> {
  if (o.tasks !== undefined && o.taskSets !== undefined) r.fail('taskSets', 'give either tasks or taskSets, not both');
  if (o.tasks !== undefined) {
    return { default: { key: '', name: 'default', tasks: readTasks(r, o.tasks, 'tasks'), excludeFeatures: [] } };
  }
  if (o.taskSets === undefined) r.fail('tasks', 'is required (or taskSets)');
  const sets = r.object(o.taskSets, 'taskSets', Object.keys(o.taskSets as object));
  if (Object.keys(sets).length === 0) r.fail('taskSets', 'needs at least one task set');
  const out: Record<string, NormalisedTaskSet> = {};
  for (const [name, value] of Object.entries(sets)) {
    const key = join('taskSets', name);
    if (!TASK_NAME.test(name)) r.fail(key, 'is not a valid task set name (letters, digits, _ . -)');
    const s = r.object(value, key, ['description', 'tasks', 'excludeFeatures']);
    out[name] = {
      key,
      name,
      description: s.description === undefined ? undefined : r.string(s.description, join(key, 'description')),
      tasks: readTasks(r, s.tasks, join(key, 'tasks')),
      excludeFeatures:
        s.excludeFeatures === undefined
          ? []
          : r.array(s.excludeFeatures, join(key, 'excludeFeatures')).map((c, i) => r.column(c, `${join(key, 'excludeFeatures')}[${i}]`)),
    };
  }
  return out;
}

function readRule(r: SpecReader, value: unknown, key: string): PositiveRule {
  const o = r.object(value, key, RULE_KEYS);
  const keys = Object.keys(o);
  if (keys.length !== 1) r.fail(key, `needs exactly one rule of ${RULE_KEYS.join(', ')}`);
  const k = join(key, keys[0]!);
  if (o.equals !== undefined) {
    if (typeof o.equals === 'number') return { equals: r.number(o.equals, k) };
    return { equals: r.string(o.equals, k) };
  }
  if (o.startsWith !== undefined) return { startsWith: r.string(o.startsWith, k) };
  if (o.greaterThan !== undefined) return { greaterThan: r.number(o.greaterThan, k) };
  const list = r.array(o.in, k, true).map((v, i) => {
    if (typeof v === 'number') return r.number(v, `${k}[${i}]`);
    return r.string(v, `${k}[${i}]`);
  });
  return { in: list };
}

function readTasks(r: SpecReader, value: unknown, key: string): NormalisedTask[] {
  const list = r.array(value, key, true);
  const tasks = list.map((v, i): NormalisedTask => {
    const k = `${key}[${i}]`;
    const o = r.object(v, k, TASK_KEYS);
    const name = r.string(o.name, join(k, 'name'));
    if (!TASK_NAME.test(name)) r.fail(join(k, 'name'), `${describe(name)} is not a valid task name (letters, digits, _ . -)`);
    const product =
      o.product === undefined
        ? undefined
        : r.array(o.product, join(k, 'product')).map((p, j) => r.string(p, `${join(k, 'product')}[${j}]`));
    if (o.column === undefined && !product) r.fail(join(k, 'column'), 'is required (only a product task may leave it out)');
    if (o.column === undefined && o.positive !== undefined) r.fail(join(k, 'positive'), 'needs a column');
    return {
      key: k,
      name,
      column: o.column === undefined ? undefined : r.column(o.column, join(k, 'column')),
      positive: o.positive === undefined ? undefined : readRule(r, o.positive, join(k, 'positive')),
      parent: o.parent === undefined ? undefined : r.string(o.parent, join(k, 'parent')),
      product,
      weight: o.weight === undefined ? undefined : r.number(o.weight, join(k, 'weight')),
      loss: o.loss === undefined ? 'bce' : r.oneOf(o.loss, join(k, 'loss'), ['bce', 'mse'] as const),
      allowMissing: o.allowMissing === undefined ? false : r.boolean(o.allowMissing, join(k, 'allowMissing')),
    };
  });
  const names = new Set<string>();
  for (const t of tasks) {
    if (names.has(t.name)) r.fail(join(t.key, 'name'), `duplicate task name "${t.name}"`);
    names.add(t.name);
  }
  for (const t of tasks) {
    if (t.weight !== undefined && t.weight < 0) r.fail(join(t.key, 'weight'), 'must be >= 0');
    if (t.parent !== undefined && (!names.has(t.parent) || t.parent === t.name)) {
      r.fail(join(t.key, 'parent'), `"${t.parent}" is not another task; tasks are ${[...names].join(', ')}`);
    }
    if (t.product) {
      if (t.product.length < 2) r.fail(join(t.key, 'product'), 'needs at least two task names');
      t.product.forEach((p, j) => {
        if (!names.has(p) || p === t.name)
          r.fail(`${join(t.key, 'product')}[${j}]`, `"${p}" is not another task; tasks are ${[...names].join(', ')}`);
      });
    }
    const seen = new Set<string>([t.name]);
    for (let p = t.parent; p !== undefined; p = tasks.find((x) => x.name === p)?.parent) {
      if (seen.has(p)) r.fail(join(t.key, 'parent'), `parents form a cycle through "${p}"`);
      seen.add(p);
    }
  }
  for (const t of tasks) {
    if (!t.product || t.column !== undefined) continue;
    for (const p of t.product) {
      const factor = tasks.find((x) => x.name === p)!;
      if (factor.product && factor.column === undefined)
        r.fail(join(t.key, 'product'), `"${p}" is itself a product without a column; give one of them a column`);
    }
  }
  return tasks;
}

function readDownload(r: SpecReader, value: unknown): DownloadSpec {
  const o = r.object(value, 'download', ['instructions', 'files']);
  const out: DownloadSpec = {};
  if (o.instructions !== undefined) out.instructions = r.string(o.instructions, 'download.instructions');
  if (o.files !== undefined) {
    out.files = r.array(o.files, 'download.files').map((f, i) => {
      const k = `download.files[${i}]`;
      const x = r.object(f, k, ['path', 'urls', 'md5', 'sha256', 'bytes', 'checksumOf']);
      return {
        path: r.string(x.path, join(k, 'path')),
        urls: r.array(x.urls, join(k, 'urls'), true).map((u, j) => r.string(u, `${join(k, 'urls')}[${j}]`)),
        md5: x.md5 === undefined ? undefined : r.string(x.md5, join(k, 'md5')),
        sha256: x.sha256 === undefined ? undefined : r.string(x.sha256, join(k, 'sha256')),
        bytes: x.bytes === undefined ? undefined : r.integer(x.bytes, join(k, 'bytes'), 0),
        checksumOf: x.checksumOf === undefined ? 'file' : r.oneOf(x.checksumOf, join(k, 'checksumOf'), ['file', 'gunzipped'] as const),
      };
    });
  }
  return out;
}
