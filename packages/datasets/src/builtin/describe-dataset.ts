import type { ColumnRef, DatasetSpec, DownloadSpec } from '../spec/dataset-spec.js';
import type { NormalisedSpec, NormalisedSplitRule, SplitName } from '../spec/normalised-spec.js';
import type { ResolveOptions } from '../load/resolve-dataset.js';
import { BUILTIN_SPECS } from './builtin-specs.js';
import { describeRule } from '../encode/label-rule.js';
import { absolutePath, resolveDataset } from '../load/resolve-dataset.js';
import { resolveSimulatorOptions } from '../synthetic/simulator-options.js';
import { syntheticSpec } from '../synthetic/synthetic-spec.js';
import { validateDatasetSpec } from '../spec/validate-spec.js';

/** A task as `describeDataset` shows it. */
export interface TaskDescription {
  /** Task name. */
  name: string;
  /** Source column, when the label comes from one. */
  column?: ColumnRef;
  /** The positive-label rule in words, e.g. `income starts with "50000+"`. */
  rule: string;
  /** Parent task (sample space). */
  parent?: string;
  /** Factors of an entire-space product task. */
  product?: string[];
}

/** A feature as `describeDataset` shows it. */
export interface FeatureDescription {
  /** Source column. */
  column: ColumnRef;
  /** Explicit feature name, when the spec gives one. */
  name?: string;
  /** Source type. */
  type: 'categorical' | 'numeric';
  /** Numeric transforms, in order. */
  transforms: string[];
}

/** One task set: its tasks and the features it uses. */
export interface TaskSetDescription {
  /** What the task set is for. */
  description?: string;
  /** Its tasks. */
  tasks: TaskDescription[];
  /** The features it uses (its excluded columns left out). */
  features: FeatureDescription[];
}

/** What a dataset is, without reading its files. */
export interface DatasetDescription {
  /** Dataset name. */
  name: string;
  /** What the dataset is. */
  description?: string;
  /** True for a built-in dataset. */
  builtin: boolean;
  /** `files`, `query` (a SQL query per split) or `synthetic` for simulated data. */
  source: 'files' | 'query' | 'synthetic';
  /** Absolute paths (or glob patterns) of each split's files. */
  files?: Partial<Record<SplitName, string[]>>;
  /** The SQL query of each split, for a `query` spec. */
  queries?: Partial<Record<SplitName, string>>;
  /** How validation and test rows are taken from another split, in words. */
  split: Partial<Record<'validation' | 'test', string>>;
  /** The task sets by name. */
  taskSets: Record<string, TaskSetDescription>;
  /** The task set used when none is named. */
  defaultTaskSet: string;
  /** Group column for GAUC. */
  group?: ColumnRef;
  /** Where to get the files. */
  download?: DownloadSpec;
  /** The validated spec. */
  spec: NormalisedSpec;
}

/** One line per built-in dataset. */
export interface DatasetListing {
  /** Built-in name, as `loadDataset` takes it. */
  name: string;
  /** What the dataset is. */
  description: string;
  /** False only for the simulator, which needs no files. */
  needsFiles: boolean;
  /** Task set names. */
  taskSets: string[];
  /** The task set used when none is named. */
  defaultTaskSet: string;
}

/** The built-in datasets. */
export function listDatasets(): DatasetListing[] {
  return Object.entries(BUILTIN_SPECS).map(([name, json]) => {
    const spec = validateDatasetSpec(json, `${name} (built-in)`);
    const taskSets = spec.synthetic ? ['ektm', 'esmm'] : Object.keys(spec.taskSets);
    return { name, description: spec.description ?? '', needsFiles: !spec.synthetic, taskSets, defaultTaskSet: spec.defaultTaskSet };
  });
}

function ruleInWords(rule: NormalisedSplitRule): string {
  const offsets = rule.offsets.length === 1 ? `offset ${rule.offsets[0]}` : `offsets ${rule.offsets.join(', ')}`;
  return `rows i of ${rule.from} with i % ${rule.everyNth} at ${offsets}`;
}

/** Same column, by name or index (indexes are named through `format.columns` when it exists). */
function sameColumn(a: ColumnRef, b: ColumnRef, columns: readonly string[] | undefined): boolean {
  const norm = (c: ColumnRef) => (typeof c === 'number' && columns?.[c] !== undefined ? columns[c] : String(c));
  return norm(a) === norm(b);
}

/**
 * Describes a dataset (built-in name, spec path or spec object) from its spec alone: files, split, task sets
 * with their tasks and features. No file is read, so it works before a download.
 */
export function describeDataset(dataset: string | DatasetSpec, options: ResolveOptions = {}): DatasetDescription {
  const resolved = resolveDataset(dataset, options);
  let spec = resolved.spec;
  if (spec.synthetic) spec = syntheticSpec(spec, resolveSimulatorOptions(spec.synthetic));
  const columns = spec.format.columns;
  const taskSets: Record<string, TaskSetDescription> = {};
  for (const [name, set] of Object.entries(spec.taskSets)) {
    taskSets[name] = {
      description: set.description,
      tasks: set.tasks.map((t) => ({
        name: t.name,
        column: t.column,
        rule: t.column === undefined ? `product of ${t.product!.join(' x ')}` : describeRule(String(t.column), t.positive),
        ...(t.parent ? { parent: t.parent } : {}),
        ...(t.product ? { product: t.product } : {}),
      })),
      features: spec.features
        .filter((f) => !set.excludeFeatures.some((x) => sameColumn(x, f.column, columns)))
        .map((f) => ({ column: f.column, ...(f.name ? { name: f.name } : {}), type: f.type, transforms: [...f.transforms] })),
    };
  }
  const files = spec.files
    ? Object.fromEntries(
        Object.entries(spec.files)
          .filter(([, v]) => v)
          .map(([k, v]) => [k, (v as string[]).map((p) => absolutePath(resolved, p))]),
      )
    : undefined;
  const split: DatasetDescription['split'] = {};
  if (spec.split.validation) split.validation = ruleInWords(spec.split.validation);
  if (spec.split.test) split.test = ruleInWords(spec.split.test);
  return {
    name: spec.name,
    description: spec.description,
    builtin: resolved.builtin,
    source: spec.synthetic ? 'synthetic' : spec.query ? 'query' : 'files',
    files,
    ...(spec.query ? { queries: { ...spec.query } } : {}),
    split,
    taskSets,
    defaultTaskSet: spec.defaultTaskSet,
    group: spec.group,
    download: spec.download,
    spec,
  };
}
