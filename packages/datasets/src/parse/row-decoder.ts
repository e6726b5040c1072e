import type { FileLayout } from './file-layout.js';
import type { RowSchema } from './row-schema.js';
import type { BoundColumn } from './column-binder.js';
import type { LabelRule } from '../encode/label-rule.js';
import { ColumnBinder } from './column-binder.js';
import { DatasetError } from '../errors/dataset-error.js';
import { compileLabelRule } from '../encode/label-rule.js';
import { groupId } from '../encode/hash-bucket.js';
import { parseDecimal } from './parse-number.js';

/**
 * One row's raw values, before vocabularies and statistics: categorical strings (undefined = missing),
 * numeric floats (NaN = missing), labels (NaN = missing) and the group id. Reused from row to row.
 */
export interface RawRow {
  /** One value per categorical-source feature, in schema order. */
  categorical: Array<string | undefined>;
  /** One value per numeric-source feature, in schema order. */
  numeric: Float64Array;
  /** One label per task, in schema order. */
  labels: Float64Array;
  /** Group id (hash of the group value), -1 when missing or without a group column. */
  group: number;
}

interface TaskPlan {
  name: string;
  column?: BoundColumn;
  rule: LabelRule;
  allowMissing: boolean;
  factors?: number[];
}

/**
 * The longest categorical value kept, in characters: longer values are cut to it (and counted), so that a stray
 * 20 MB field cannot enter a vocabulary and the model's saved files. Training and serving cut the same way.
 */
export const MAX_CATEGORICAL_VALUE_LENGTH = 1024;

/**
 * Extracts a `RawRow` from a row's values, checking every value it uses: a numeric column must hold a
 * number, a label column a value its rule understands, and a label must not be missing (unless the task
 * allows it, or labels are optional, as when serving). Categorical values longer than
 * {@link MAX_CATEGORICAL_VALUE_LENGTH} are cut and counted. Errors name the column; the caller adds file and line.
 */
export class RowDecoder {
  private readonly truncations: number[];
  private readonly categorical: BoundColumn[] = [];
  private readonly numeric: BoundColumn[] = [];
  private readonly tasks: TaskPlan[];
  private readonly group?: BoundColumn;
  private readonly missing: ReadonlySet<string>;
  private readonly binder: ColumnBinder;

  constructor(
    schema: RowSchema,
    readonly layout: FileLayout,
    private readonly labelsRequired = true,
  ) {
    this.binder = new ColumnBinder(layout);
    for (const f of schema.features) {
      const bound = this.binder.bind(f.column, `${f.key}.column`);
      (f.source === 'categorical' ? this.categorical : this.numeric).push(bound);
    }
    this.truncations = this.categorical.map(() => 0);
    this.tasks = schema.tasks.map((t) => ({
      name: t.name,
      column: t.column === undefined ? undefined : this.binder.bind(t.column, `${t.key}.column`),
      rule: compileLabelRule(t.positive, t.loss),
      allowMissing: t.allowMissing,
    }));
    schema.tasks.forEach((t, i) => {
      if (t.column === undefined && t.product) this.tasks[i]!.factors = t.product.map((p) => schema.tasks.findIndex((x) => x.name === p));
    });
    if (schema.group !== undefined) this.group = this.binder.bind(schema.group, 'group');
    this.missing = new Set(['', ...schema.missing]);
  }

  /** Width of the dense value arrays `decode` reads. */
  get width(): number {
    return this.binder.width;
  }

  /** A fresh row to decode into. */
  newRow(): RawRow {
    return {
      categorical: new Array<string | undefined>(this.categorical.length).fill(undefined),
      numeric: new Float64Array(this.numeric.length),
      labels: new Float64Array(this.tasks.length),
      group: -1,
    };
  }

  /**
   * Dense values of a split row: positional fields as they are, `key:value` fields placed in their keys'
   * slots (the first value of a repeated key wins; keys no feature uses are skipped).
   */
  dense(fields: string[]): Array<string | undefined> {
    const kv = this.layout.keyValue;
    if (!kv) return fields;
    const values: Array<string | undefined> = fields.slice(0, kv.from);
    values.length = this.width;
    const keys = this.binder.keys;
    const sep = kv.separator;
    for (let i = kv.from; i < fields.length; i++) {
      const field = fields[i]!;
      const at = field.indexOf(sep);
      if (at <= 0) throw new DatasetError(`${JSON.stringify(field)} is not a key${sep}value field`, { column: i });
      const slot = keys.get(field.slice(0, at).trim());
      if (slot !== undefined && values[slot] === undefined) values[slot] = field.slice(at + sep.length).trim();
    }
    return values;
  }

  /** Decodes dense values into `out`; throws a `DatasetError` naming the column of a bad value. */
  decode(values: ArrayLike<string | undefined>, out: RawRow): void {
    const missing = this.missing;
    for (let i = 0; i < this.categorical.length; i++) {
      const v = values[this.categorical[i]!.slot];
      if (v !== undefined && v.length > MAX_CATEGORICAL_VALUE_LENGTH) {
        this.truncations[i]!++;
        out.categorical[i] = v.slice(0, MAX_CATEGORICAL_VALUE_LENGTH);
      } else out.categorical[i] = v === undefined || missing.has(v) ? undefined : v;
    }
    for (let i = 0; i < this.numeric.length; i++) {
      const bound = this.numeric[i]!;
      const v = values[bound.slot];
      if (v === undefined || missing.has(v)) {
        out.numeric[i] = NaN;
        continue;
      }
      const n = parseDecimal(v);
      if (Number.isNaN(n)) throw new DatasetError(`${JSON.stringify(v)} is not a number`, { column: bound.column, columnName: bound.name });
      out.numeric[i] = n;
    }
    for (let i = 0; i < this.tasks.length; i++) {
      const task = this.tasks[i]!;
      if (!task.column) continue;
      const v = values[task.column.slot];
      if (v === undefined || missing.has(v)) {
        if (this.labelsRequired && !task.allowMissing) {
          throw new DatasetError(`missing label for task "${task.name}"`, { column: task.column.column, columnName: task.column.name });
        }
        out.labels[i] = NaN;
        continue;
      }
      try {
        out.labels[i] = task.rule(v);
      } catch (error) {
        if (!(error instanceof DatasetError)) throw error;
        throw error.withDetail(` (label of task "${task.name}")`).locate({ column: task.column.column, columnName: task.column.name });
      }
    }
    for (let i = 0; i < this.tasks.length; i++) {
      const factors = this.tasks[i]!.factors;
      if (!factors) continue;
      let p = 1;
      for (const f of factors) p *= out.labels[f]!;
      out.labels[i] = p;
    }
    if (this.group) {
      const v = values[this.group.slot];
      out.group = groupId(v === undefined || missing.has(v) ? undefined : v);
    }
  }

  /** Dense slots of the bound `key:value` keys. */
  get keySlots(): ReadonlyMap<string, number> {
    return this.binder.keys;
  }

  /** Values cut to {@link MAX_CATEGORICAL_VALUE_LENGTH}, per categorical-source feature (schema order), so far. */
  get truncated(): readonly number[] {
    return this.truncations;
  }

  /** Bound columns of the categorical-source features, in schema order (for reports). */
  get categoricalColumns(): readonly BoundColumn[] {
    return this.categorical;
  }

  /** Bound columns of the numeric-source features, in schema order. */
  get numericColumns(): readonly BoundColumn[] {
    return this.numeric;
  }
}
