import type { ColumnRef, PositiveRule } from '../spec/dataset-spec.js';

/** A feature as the row decoder sees it: which column, and whether its raw value is a string or a number. */
interface SchemaFeature {
  /** JSON path of the feature in the spec, for error messages. */
  key: string;
  /** Source column. */
  column: ColumnRef;
  /** Feature name in the model. */
  name: string;
  /** `categorical` values stay strings; `numeric` values are parsed as numbers. */
  source: 'categorical' | 'numeric';
}

/** A task as the row decoder sees it: its source column and label rule. */
interface SchemaTask {
  /** JSON path of the task in the spec. */
  key: string;
  /** Task (and label) name. */
  name: string;
  /** Source column; absent for a product task whose label is the product of its factors' labels. */
  column?: ColumnRef;
  /** Positive-label rule; absent when the column is already 0/1. */
  positive?: PositiveRule;
  /** `mse` tasks accept any number as label. */
  loss: 'bce' | 'mse';
  /** A missing value gives NaN instead of an error. */
  allowMissing: boolean;
  /** Factor tasks of a product task. */
  product?: string[];
}

/** Everything a row decoder extracts from a row: features, labels, group. */
export interface RowSchema {
  features: SchemaFeature[];
  tasks: SchemaTask[];
  /** Group column for GAUC. */
  group?: ColumnRef;
  /** Values meaning missing, besides the empty value. */
  missing: readonly string[];
}
