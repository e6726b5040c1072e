import { ConfigError, type EncodedTable, type FeatureSpec, type TaskSpec } from '@ektm/core';
import type { ColumnRef, PositiveRule } from '../spec/dataset-spec.js';
import type { FileLayout } from '../parse/file-layout.js';
import type { RawRow } from '../parse/row-decoder.js';
import type { RowSchema } from '../parse/row-schema.js';
import type { FittedFeature, OutputLayout } from './fitted-feature.js';
import { DatasetError } from '../errors/dataset-error.js';
import { RowDecoder } from '../parse/row-decoder.js';
import { createFieldSplitter } from '../parse/split-fields.js';
import { fieldCountProblem } from '../parse/field-count.js';
import { outputLayout, sourceType } from './fitted-feature.js';
import { hashBucket } from './hash-bucket.js';
import { encodeBucket, encodeNumeric } from './numeric-transform.js';
import type { InputReport, MissingColumns } from './input-report.js';
import { Vocabulary } from './vocabulary.js';

/** How raw rows given to a preprocessor are read. */
export interface PreprocessorInput {
  /** Field delimiter of text lines. */
  delimiter: string;
  /** Quote character of text lines (`null`: none). */
  quote: string | null;
  /** Values meaning missing, besides the empty value. */
  missing: string[];
  /** Column names by position (the training file's header or `format.columns`); records are keyed by these. */
  columns?: string[];
  /** Positional fields per line. */
  fieldCount: number;
  /** `key:value` fields from index `from` on. */
  keyValue?: {
    /** Index of the first `key:value` field. */
    from: number;
    /** Between key and value. */
    separator: string;
  };
}

/** A task and its label rule, as saved with a preprocessor. */
export interface PreprocessorTask {
  /** Task and label name. */
  name: string;
  /** Source column (absent for a product task labelled by its factors). */
  column?: ColumnRef;
  /** Positive-label rule (absent: the column is 0/1). */
  positive?: PositiveRule;
  /** Parent task (sample space). */
  parent?: string;
  /** Factors of an entire-space product task. */
  product?: string[];
  /** Loss weight. */
  weight?: number;
  /** Loss kind. */
  loss: 'bce' | 'mse';
  /** A missing value gives a NaN label instead of an error. */
  allowMissing: boolean;
}

/** The JSON form of a {@link Preprocessor}: everything needed to encode raw rows as training did. */
export interface PreprocessorState {
  /** Marks the JSON as a saved preprocessor. */
  format: 'ektm-preprocessor';
  /** Version of this JSON layout. */
  version: 1;
  /** Dataset name. */
  dataset: string;
  /** Task set name. */
  taskSet: string;
  /** How raw rows are read. */
  input: PreprocessorInput;
  /** Fitted features in spec order. */
  features: FittedFeature[];
  /** Tasks and their label rules. */
  tasks: PreprocessorTask[];
  /** Group column for GAUC. */
  group?: ColumnRef;
}

/** A raw row for serving: values keyed by column name (or by key for `key:value` data, or by index as text). */
export type RawRecord = Record<string, string | number | boolean | null | undefined>;

/** A key that {@link Preprocessor.encodeRows} reads from a record, and what it must hold. */
export interface RecordField {
  /** The record key: the column name (the index as text for an unnamed column), or the key of a `key:value` field. */
  key: string;
  /** `numeric` when some feature reads the value as a number, else `categorical` (any string or number). */
  type: 'categorical' | 'numeric';
  /** The features read from it, by model name. */
  features: string[];
}

/** Options of {@link Preprocessor.encodeRows}. */
export interface EncodeRowsOptions {
  /** `optional` (default): a missing label gives NaN, as rows at serving time have none. `required`: an error. */
  labels?: 'optional' | 'required';
  /**
   * Records that lack a feature column (a key absent, as from a misspelt name or a file without the column):
   * `error` (default, strict) throws a DataError naming the columns; `allow` encodes the feature as a missing value
   * and counts it in the report. A key present with an empty or null value is a missing value either way. Input
   * with none of the model's feature columns is an error even with `allow`.
   */
  missingColumns?: MissingColumns;
  /** The source of the rows (a file name, `stdin`), for error messages. Default: none. */
  source?: string;
  /** The source line number of each row (e.g. CSV lines after the header), for error messages. Default: 1, 2, ... */
  lines?: readonly number[];
}

const ENCODE_ROWS_OPTIONS = ['labels', 'missingColumns', 'source', 'lines'];

/**
 * Encodes decoded raw rows into an encoded table; shared by the loaders and serving.
 * @internal
 */
export interface RowEncoder {
  /** Decodes one file's rows (bound to that file's layout). */
  decoder: RowDecoder;
  /** Writes one raw row into row `row` of `table`. */
  encode(raw: RawRow, table: EncodedTable, row: number): void;
}

/** Encoded rows with the report of what was wrong or unseen in them ({@link Preprocessor.encodeRowsWithReport}). */
export interface EncodedRowsWithReport {
  /** The encoded rows. */
  readonly table: EncodedTable;
  /** Missing and unknown columns, values never seen in training. */
  readonly report: InputReport;
}

/**
 * The fitted encoding of a dataset: vocabularies (train only), hashing, numeric statistics, feature specs
 * and label rules. Save it with a model (`toJSON`) and restore it (`fromJSON`) so that serving encodes raw
 * rows, text lines or records, exactly as the training data was encoded.
 */
export class Preprocessor {
  /** Model-facing feature specs, categorical first (the column order of every encoded table). */
  readonly features: FeatureSpec[];
  /** The tasks, for the model and trainer. Each task's label is keyed by its name. */
  readonly tasks: TaskSpec[];
  private readonly layout: OutputLayout;
  private readonly vocabularies: Array<Vocabulary | undefined>;

  constructor(private readonly state: PreprocessorState) {
    this.layout = outputLayout(state.features);
    this.features = this.layout.features;
    this.tasks = state.tasks.map((t) => {
      const spec: TaskSpec = { name: t.name };
      if (t.parent !== undefined) spec.parent = t.parent;
      if (t.product !== undefined) spec.product = [...t.product];
      if (t.weight !== undefined) spec.weight = t.weight;
      if (t.loss !== 'bce') spec.loss = t.loss;
      return spec;
    });
    this.vocabularies = this.layout.categoricalSources.map((f) => (f.kind === 'vocabulary' ? new Vocabulary(f.values) : undefined));
  }

  /** Dataset name. */
  get dataset(): string {
    return this.state.dataset;
  }

  /** Task set name. */
  get taskSet(): string {
    return this.state.taskSet;
  }

  /** The fitted features, in spec order (vocabularies, hash sizes, statistics). */
  get fittedFeatures(): readonly FittedFeature[] {
    return this.state.features;
  }

  /** The JSON form; `Preprocessor.fromJSON(JSON.parse(JSON.stringify(p)))` encodes exactly as `p` does. */
  toJSON(): PreprocessorState {
    return structuredClone(this.state);
  }

  /** Restores a preprocessor saved with `toJSON`. */
  static fromJSON(json: unknown): Preprocessor {
    const state = json as PreprocessorState;
    if (typeof json !== 'object' || json === null || state.format !== 'ektm-preprocessor') {
      throw new DatasetError('not a saved preprocessor (format is not "ektm-preprocessor")');
    }
    if (state.version !== 1)
      throw new DatasetError(`unsupported preprocessor version ${String(state.version)}; this package reads version 1`);
    if (!Array.isArray(state.features) || !Array.isArray(state.tasks) || typeof state.input !== 'object') {
      throw new DatasetError('a saved preprocessor needs input, features and tasks');
    }
    return new Preprocessor(structuredClone(state));
  }

  /**
   * What a row decoder extracts for this preprocessor.
   * @internal
   */
  schema(): RowSchema {
    return {
      features: this.state.features.map((f, i) => ({ key: `features[${i}]`, column: f.column, name: f.name, source: sourceType(f) })),
      tasks: this.state.tasks.map((t, i) => ({ key: `tasks[${i}]`, ...t })),
      group: this.state.group,
      missing: this.state.input.missing,
    };
  }

  /** An empty encoded table of `rows` rows with this preprocessor's columns and labels. */
  allocate(rows: number, withGroups = this.state.group !== undefined): EncodedTable {
    const labels: Record<string, Float32Array> = {};
    for (const t of this.state.tasks) labels[t.name] = new Float32Array(rows);
    const table: EncodedTable = {
      rows,
      categorical: new Int32Array(rows * this.layout.categoricalCount),
      categoricalCount: this.layout.categoricalCount,
      numeric: new Float32Array(rows * this.layout.numericCount),
      numericCount: this.layout.numericCount,
      labels,
    };
    if (withGroups) table.groups = new Int32Array(rows);
    return table;
  }

  /**
   * A decoder bound to a file's layout, and the encoder of its rows.
   * @internal
   */
  createEncoder(layout: FileLayout, labelsRequired = true): RowEncoder {
    return { decoder: new RowDecoder(this.schema(), layout, labelsRequired), encode: (raw, table, row) => this.encodeRaw(raw, table, row) };
  }

  /**
   * The encoded categorical index of categorical-source feature `i` for a raw value (shared with the in-memory loader).
   * @internal
   */
  categoricalIndex(i: number, value: string | undefined): number {
    const vocabulary = this.vocabularies[i];
    if (vocabulary) return vocabulary.indexOf(value);
    return hashBucket(value, (this.layout.categoricalSources[i] as { buckets: number }).buckets);
  }

  /**
   * Where each raw value lands in an encoded table.
   * @internal
   */
  get outputLayout(): OutputLayout {
    return this.layout;
  }

  private encodeRaw(raw: RawRow, table: EncodedTable, row: number): void {
    const { categoricalSourceToColumn, numericSourceToColumn, numericSources, categoricalCount: c, numericCount: m } = this.layout;
    for (let i = 0; i < categoricalSourceToColumn.length; i++) {
      table.categorical[row * c + categoricalSourceToColumn[i]!] = this.categoricalIndex(i, raw.categorical[i]);
    }
    for (let i = 0; i < numericSourceToColumn.length; i++) {
      const out = numericSourceToColumn[i]!;
      const fitted = numericSources[i]!.numeric;
      if (out.categorical) table.categorical[row * c + out.column] = encodeBucket(fitted, raw.numeric[i]!);
      else table.numeric[row * m + out.column] = encodeNumeric(fitted, raw.numeric[i]!);
    }
    const tasks = this.state.tasks;
    for (let t = 0; t < tasks.length; t++) table.labels[tasks[t]!.name]![row] = raw.labels[t]!;
    if (table.groups) table.groups[row] = raw.group;
  }

  /**
   * The keys `encodeRows` reads from a record, one per source column in spec order (two features of one column
   * share it), so that a server can check a request names every feature with a value of the right type.
   */
  recordFields(): RecordField[] {
    const { input } = this.state;
    const layout: FileLayout = { names: input.columns, fieldCount: input.fieldCount, keyValue: input.keyValue };
    const decoder = new RowDecoder(this.schema(), layout, false);
    const slotNames = recordSlotNames(decoder, layout);
    const categorical = decoder.categoricalColumns;
    const numeric = decoder.numericColumns;
    const fields = new Map<string, RecordField>();
    let c = 0;
    let n = 0;
    for (const feature of this.state.features) {
      const type = sourceType(feature);
      const key = slotNames[(type === 'categorical' ? categorical[c++] : numeric[n++])!.slot]!;
      const field = fields.get(key);
      if (!field) fields.set(key, { key, type, features: [feature.name] });
      else {
        field.features.push(feature.name);
        if (type === 'numeric') field.type = 'numeric';
      }
    }
    return [...fields.values()];
  }

  /**
   * Encodes raw rows for serving or evaluation: text lines in the training files' format (no header line), or
   * records keyed by column name. Labels are optional: a row without them gets NaN labels. A malformed row is
   * a `DatasetError` naming its line (1-based position in `rows`, or `lines`) and column. Records must hold every
   * feature column unless `missingColumns: 'allow'` (see {@link EncodeRowsOptions}); {@link encodeRowsWithReport}
   * also says which columns were missing or unknown and how many values were never seen in training.
   */
  encodeRows(rows: readonly string[] | readonly RawRecord[], options: EncodeRowsOptions = {}): EncodedTable {
    return this.encodeRowsWithReport(rows, options).table;
  }

  /** {@link encodeRows}, and the {@link InputReport} of the rows: missing and unknown columns, unseen values. */
  encodeRowsWithReport(rows: readonly string[] | readonly RawRecord[], options: EncodeRowsOptions = {}): EncodedRowsWithReport {
    const unknownOption = Object.keys(options).find((k) => !ENCODE_ROWS_OPTIONS.includes(k));
    if (unknownOption)
      throw new ConfigError(`encodeRows: unknown option ${unknownOption}; options are ${ENCODE_ROWS_OPTIONS.join(', ')}`, unknownOption);
    const { input } = this.state;
    const labelsRequired = options.labels === 'required';
    const layout: FileLayout = { names: input.columns, fieldCount: input.fieldCount, keyValue: input.keyValue };
    const { decoder, encode } = this.createEncoder(layout, labelsRequired);
    const table = this.allocate(rows.length);
    const raw = decoder.newRow();
    const split = createFieldSplitter(input.delimiter, input.quote);
    const slotNames = recordSlotNames(decoder, layout);
    const lineOf = (r: number) => options.lines?.[r] ?? r + 1;
    const report: InputReport = { rows: rows.length, missingColumns: [], unknownColumns: [], unseen: [] };
    if (rows.length > 0 && typeof rows[0] !== 'string') {
      Object.assign(report, checkRecordColumns(rows as readonly RawRecord[], decoder, slotNames, options, lineOf));
    }
    const unseen = new Array<number>(this.vocabularies.length).fill(0);
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r]!;
      try {
        let values: ArrayLike<string | undefined>;
        if (typeof row === 'string') {
          const fields = split(row);
          const problem = fieldCountProblem(fields.length, layout);
          if (problem) throw new DatasetError(problem);
          values = decoder.dense(fields);
        } else {
          values = recordValues(row, slotNames);
        }
        decoder.decode(values, raw);
        encode(raw, table, r);
        for (let i = 0; i < this.vocabularies.length; i++) {
          const value = raw.categorical[i];
          if (value !== undefined && this.vocabularies[i]?.indexOf(value) === 0) unseen[i]!++;
        }
      } catch (error) {
        if (!(error instanceof DatasetError)) throw error;
        throw error.locate({ file: options.source, line: lineOf(r) });
      }
    }
    report.unseen = unseen
      .map((count, i) => ({ feature: this.layout.categoricalSources[i]!.name, rows: count, share: rows.length ? count / rows.length : 0 }))
      .filter((u) => u.rows > 0);
    return { table, report };
  }
}

/**
 * The feature columns missing from records (keys absent; `key:value` features are sparse and never missing) and the
 * keys that are no column of the data. Strict (`missingColumns: 'error'`): any missing column is a DataError; always:
 * records with none of the feature columns are a DataError.
 */
function checkRecordColumns(
  records: readonly RawRecord[],
  decoder: RowDecoder,
  slotNames: readonly string[],
  options: EncodeRowsOptions,
  lineOf: (r: number) => number,
): Pick<InputReport, 'missingColumns' | 'unknownColumns'> {
  const sparse = new Set(decoder.keySlots.values());
  const featureColumns = [
    ...new Set(
      [...decoder.categoricalColumns, ...decoder.numericColumns].filter((c) => !sparse.has(c.slot)).map((c) => slotNames[c.slot]!),
    ),
  ];
  const known = new Set(slotNames);
  const keys = new Set<string>();
  const lacking = new Map<string, { rows: number; first: number }>();
  records.forEach((record, r) => {
    if (typeof record !== 'object' || record === null) return;
    for (const key of Object.keys(record)) keys.add(key);
    for (const column of featureColumns) {
      if (Object.hasOwn(record, column)) continue;
      const entry = lacking.get(column) ?? { rows: 0, first: r };
      entry.rows++;
      lacking.set(column, entry);
    }
  });
  const unknownColumns = [...keys].filter((k) => !known.has(k));
  const missingColumns = [...lacking].map(([column, { rows }]) => ({ column, rows }));
  const at = { file: options.source };
  const hint = unknownColumns.length ? `; the input has columns the data does not: ${unknownColumns.join(', ')}` : '';
  const none = featureColumns.length > 0 && featureColumns.every((c) => lacking.get(c)?.rows === records.length);
  if (none) {
    throw new DatasetError(`the rows have none of the model's feature columns (${featureColumns.join(', ')})${hint}`, at);
  }
  if (missingColumns.length && options.missingColumns !== 'allow') {
    const list = [...lacking]
      .map(([column, { rows, first }]) =>
        rows === records.length
          ? `${column} (in every row)`
          : `${column} (in ${rows} of ${records.length} rows, first at line ${lineOf(first)})`,
      )
      .join(', ');
    throw new DatasetError(
      `missing feature column(s) ${list}${hint}. Give every feature column (a missing value may be left empty), or encode them as missing values with { missingColumns: 'allow' } (ektm predict --allow-missing)`,
      at,
    );
  }
  return { missingColumns, unknownColumns };
}

/** The record key of every dense slot: the column name (or index as text) for positional slots, the key for `key:value` slots. */
function recordSlotNames(decoder: RowDecoder, layout: FileLayout): string[] {
  const names: string[] = [];
  for (let i = 0; i < layout.fieldCount; i++) names.push(layout.names?.[i] ?? String(i));
  for (const [key, slot] of decoder.keySlots) names[slot] = key;
  return names;
}

function recordValues(record: RawRecord, slotNames: readonly string[]): Array<string | undefined> {
  if (typeof record !== 'object' || record === null) throw new DatasetError(`a row must be a text line or a record, not ${typeof record}`);
  return slotNames.map((name) => {
    const v = record[name];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'number') return Number.isNaN(v) ? undefined : String(v);
    if (typeof v === 'boolean') return v ? '1' : '0';
    if (typeof v === 'string') return v.trim();
    throw new DatasetError(`a ${typeof v} is not a value`, { column: name });
  });
}
