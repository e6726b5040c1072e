import type { EncodedTable } from '@ektm/core';
import type { NormalisedSpec, NormalisedTaskSet, SplitName } from '../spec/normalised-spec.js';
import type { FileLayout } from '../parse/file-layout.js';
import type { RawRow } from '../parse/row-decoder.js';
import type { FeatureSelection } from './feature-selection.js';
import type { Preprocessor } from '../encode/preprocessor.js';
import { BadRowCounter } from '../errors/bad-row-counter.js';
import { DatasetError } from '../errors/dataset-error.js';
import { FeatureFitter } from '../encode/feature-fitter.js';
import { buildPreprocessor } from './build-preprocessor.js';
import { encodeBucket, encodeNumeric } from '../encode/numeric-transform.js';
import { hashBucket } from '../encode/hash-bucket.js';
import { MAX_CATEGORICAL_VALUE_LENGTH, RowDecoder } from '../parse/row-decoder.js';
import { childWithoutParentWarnings, truncationWarnings } from './data-warnings.js';
import { GrowableArray } from './growable.js';
import { selectFeatures } from './feature-selection.js';

const SPLIT_CODES: Record<SplitName, number> = { train: 0, validation: 1, test: 2 };

/** What an in-memory load produces. */
export interface AssembledDataset {
  preprocessor: Preprocessor;
  tables: Record<SplitName, EncodedTable>;
  sources: FeatureSelection['sources'];
  /** Data checks that found something (counts included): conversions without their parent, values cut to length. */
  warnings: string[];
}

/**
 * Builds encoded tables in memory in one pass over the rows: each row is decoded, its categorical values
 * interned (counted for the vocabulary only when the row is a training row), its numbers and labels stored.
 * After the pass the vocabularies and statistics are fitted from train, and the stored columns are encoded,
 * each split in file order. The encoding functions are the preprocessor's own, so a later `encodeRows` of
 * the same raw rows gives the same table.
 */
export class DatasetAssembler {
  private selection?: FeatureSelection;
  private fitter?: FeatureFitter;
  private firstLayout?: FileLayout;
  private decoder?: RowDecoder;
  private raw?: RawRow;
  private layout?: FileLayout;
  private readonly splits = new GrowableArray(Uint8Array);
  private categorical: Array<GrowableArray<Int32Array>> = [];
  private numeric: Array<GrowableArray<Float64Array>> = [];
  private labels: Array<GrowableArray<Float32Array>> = [];
  private readonly groups = new GrowableArray(Int32Array);
  private hashBuckets: Array<number | undefined> = [];
  /** Categorical values cut to the length limit, per categorical-source feature, over the files read so far. */
  private truncated: number[] = [];

  constructor(
    private readonly spec: NormalisedSpec,
    private readonly taskSet: NormalisedTaskSet,
    readonly badRows: BadRowCounter,
  ) {}

  /** Binds the next rows to a file's layout (the first layout also selects features and fixes the serving format). */
  useLayout(layout: FileLayout): void {
    if (layout === this.layout) return;
    if (!this.selection) {
      const selection = selectFeatures(this.spec, this.taskSet, layout);
      this.selection = selection;
      this.fitter = new FeatureFitter(selection.features);
      const categorical = selection.features.filter((f) => f.type === 'categorical').length;
      this.categorical = Array.from({ length: categorical }, () => new GrowableArray(Int32Array));
      this.numeric = Array.from({ length: selection.features.length - categorical }, () => new GrowableArray(Float64Array));
      this.labels = this.taskSet.tasks.map(() => new GrowableArray(Float32Array));
      this.hashBuckets = selection.features.filter((f) => f.type === 'categorical').map((f) => f.hashBuckets);
      this.firstLayout = layout;
    }
    this.layout = layout;
    this.countTruncations();
    this.decoder = new RowDecoder(this.selection.schema, layout);
    this.raw = this.decoder.newRow();
  }

  /**
   * Decodes and stores one row's split fields. A malformed row (or a row the reader already found malformed)
   * goes to the bad-row counter with its file and line.
   */
  addFields(fields: string[] | DatasetError, split: SplitName, where: { file?: string; line?: number }): void {
    const decoder = this.decoder!;
    if (fields instanceof DatasetError) {
      this.badRows.record(fields);
      return;
    }
    try {
      decoder.decode(decoder.dense(fields), this.raw!);
    } catch (error) {
      if (!(error instanceof DatasetError)) throw error;
      this.badRows.record(error.locate(where));
      return;
    }
    this.store(this.raw!, split);
  }

  private store(raw: RawRow, split: SplitName): void {
    const fitter = this.fitter!;
    const isTrain = split === 'train';
    for (let i = 0; i < this.categorical.length; i++) {
      const value = raw.categorical[i];
      this.categorical[i]!.push(fitter.isHashed(i) ? hashBucket(value, this.hashBuckets[i]!) : fitter.intern(i, value, isTrain));
    }
    for (let i = 0; i < this.numeric.length; i++) {
      const value = raw.numeric[i]!;
      this.numeric[i]!.push(value);
      if (isTrain) fitter.observeNumeric(i, value);
    }
    for (let t = 0; t < this.labels.length; t++) this.labels[t]!.push(raw.labels[t]!);
    this.groups.push(raw.group);
    this.splits.push(SPLIT_CODES[split]);
  }

  /** Adds the current decoder's cut values to the totals (before it is replaced, and at the end). */
  private countTruncations(): void {
    this.decoder?.truncated.forEach((n, i) => (this.truncated[i] = (this.truncated[i] ?? 0) + n));
  }

  /** Number of good rows stored so far. */
  get rows(): number {
    return this.splits.length;
  }

  /** Fits the preprocessor on the train rows and encodes every split. */
  finish(): AssembledDataset {
    if (!this.selection) throw new DatasetError('no data rows were read');
    const fitted = this.fitter!.fit();
    const preprocessor = buildPreprocessor(this.spec, this.taskSet, this.firstLayout!, fitted);
    const codes = this.splits.view();
    const counts = [0, 0, 0];
    for (const code of codes) counts[code]!++;
    const order: SplitName[] = ['train', 'validation', 'test'];
    const tables = order.map((_, s) => preprocessor.allocate(counts[s]!)) as [EncodedTable, EncodedTable, EncodedTable];
    const rowInSplit = new Int32Array(codes.length);
    const next = [0, 0, 0];
    for (let r = 0; r < codes.length; r++) rowInSplit[r] = next[codes[r]!]!++;
    this.encodeCategorical(preprocessor, tables, codes, rowInSplit);
    this.encodeNumeric(preprocessor, tables, codes, rowInSplit);
    const tasks = this.taskSet.tasks;
    const groups = this.groups.view();
    tasks.forEach((task, t) => {
      const labels = this.labels[t]!.view();
      for (let r = 0; r < codes.length; r++) tables[codes[r]!]!.labels[task.name]![rowInSplit[r]!] = labels[r]!;
    });
    for (let r = 0; r < codes.length; r++) {
      const table = tables[codes[r]!]!;
      if (table.groups) table.groups[rowInSplit[r]!] = groups[r]!;
    }
    this.countTruncations();
    this.decoder = undefined;
    const categoricalNames = this.selection.features.filter((f) => f.type === 'categorical').map((f) => f.name);
    const warnings = [
      ...childWithoutParentWarnings(preprocessor.tasks, { train: tables[0], validation: tables[1], test: tables[2] }),
      ...truncationWarnings(new Map(categoricalNames.map((name, i) => [name, this.truncated[i] ?? 0])), MAX_CATEGORICAL_VALUE_LENGTH),
    ];
    return {
      preprocessor,
      tables: { train: tables[0], validation: tables[1], test: tables[2] },
      sources: this.selection.sources,
      warnings,
    };
  }

  private encodeCategorical(preprocessor: Preprocessor, tables: EncodedTable[], codes: Uint8Array, rowInSplit: Int32Array): void {
    const { categoricalSourceToColumn, categoricalCount: c } = preprocessor.outputLayout;
    const fitter = this.fitter!;
    for (let i = 0; i < this.categorical.length; i++) {
      const ids = this.categorical[i]!.view();
      const column = categoricalSourceToColumn[i]!;
      let remap: Int32Array | undefined;
      if (!fitter.isHashed(i)) {
        remap = new Int32Array(fitter.distinct(i) + 1);
        remap[0] = preprocessor.categoricalIndex(i, undefined);
        for (let id = 0; id < fitter.distinct(i); id++) remap[id + 1] = preprocessor.categoricalIndex(i, fitter.valueOf(i, id));
      }
      for (let r = 0; r < ids.length; r++) {
        const value = remap ? remap[ids[r]! + 1]! : ids[r]!;
        tables[codes[r]!]!.categorical[rowInSplit[r]! * c + column] = value;
      }
    }
  }

  private encodeNumeric(preprocessor: Preprocessor, tables: EncodedTable[], codes: Uint8Array, rowInSplit: Int32Array): void {
    const { numericSourceToColumn, numericSources, categoricalCount: c, numericCount: m } = preprocessor.outputLayout;
    for (let i = 0; i < this.numeric.length; i++) {
      const values = this.numeric[i]!.view();
      const out = numericSourceToColumn[i]!;
      const fitted = numericSources[i]!.numeric;
      for (let r = 0; r < values.length; r++) {
        const table = tables[codes[r]!]!;
        const row = rowInSplit[r]!;
        if (out.categorical) table.categorical[row * c + out.column] = encodeBucket(fitted, values[r]!);
        else table.numeric[row * m + out.column] = encodeNumeric(fitted, values[r]!);
      }
    }
  }
}
