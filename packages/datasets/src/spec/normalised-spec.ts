import type { ColumnRef, DownloadSpec, NumericTransformName, PositiveRule } from './dataset-spec.js';
import type { SimulatorOptions } from '../synthetic/simulator-options.js';

/** The three splits every loaded dataset is cut into. */
export type SplitName = 'train' | 'validation' | 'test';

/** The split names in file order. */
export const SPLIT_NAMES: readonly SplitName[] = ['train', 'validation', 'test'];

/** `FormatSpec` with every default filled in. */
export interface NormalisedFormat {
  /** Field separator (one or more characters). */
  delimiter: string;
  /** Whether the first line names the columns (`"auto"`: when it equals `columns`). */
  header: boolean | 'auto';
  /** Column names for files without a header. */
  columns?: string[];
  /** Values meaning missing, besides the empty value. */
  missing: string[];
  /** Lines skipped at the top of every file. */
  skipLines: number;
  /** Quote character, or `null` for none. */
  quote: string | null;
  /** `key:value` fields from index `from` on, split at `separator`. */
  keyValue?: {
    /** Index of the first `key:value` field. */
    from: number;
    /** Between key and value. */
    separator: string;
  };
}

/** `SplitRuleSpec` with defaults filled in and offsets as a list. */
export interface NormalisedSplitRule {
  /** The split whose file rows are taken. */
  from: SplitName;
  /** The period of the rule. */
  everyNth: number;
  /** Row `i` is taken when `i % everyNth` is one of these. */
  offsets: number[];
}

/** `FeatureColumnSpec` with defaults filled in. */
export interface NormalisedFeature {
  /** JSON path of the feature in the spec (`features[3]`), for error messages. */
  key: string;
  /** Source column. */
  column: ColumnRef;
  /** Explicit feature name, when the spec gives one. */
  name?: string;
  /** Source type. */
  type: 'categorical' | 'numeric';
  /** Embedding dimension for the model. */
  embeddingDim?: number;
  /** Minimum train count of a vocabulary value. */
  minCount: number;
  /** Largest vocabulary kept. */
  maxVocabularySize?: number;
  /** Hash buckets instead of a vocabulary. */
  hashBuckets?: number;
  /** Numeric transforms, in order (empty: the raw value). */
  transforms: NumericTransformName[];
  /** Equal-frequency bucket count. */
  buckets?: number;
  /** Explicit bucket boundaries. */
  boundaries?: number[];
}

/** `TaskColumnSpec` with defaults filled in. */
export interface NormalisedTask {
  /** JSON path of the task in the spec, for error messages. */
  key: string;
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

/** A task set with its tasks and excluded feature columns. */
export interface NormalisedTaskSet {
  /** JSON path of the task set in the spec (`taskSets.mmoe`, or empty for top-level `tasks`). */
  key: string;
  /** Task set name (`default` for top-level `tasks`). */
  name: string;
  /** What the task set is for. */
  description?: string;
  /** The tasks. */
  tasks: NormalisedTask[];
  /** Feature columns this task set does not use. */
  excludeFeatures: ColumnRef[];
}

/** A validated `DatasetSpec`: defaults filled in, one or more named task sets, file lists as arrays. */
export interface NormalisedSpec {
  /** Dataset name. */
  name: string;
  /** What the dataset is. */
  description?: string;
  /** The spec file this came from (for error messages), when it came from a file. */
  source?: string;
  /** How files are read. */
  format: NormalisedFormat;
  /** The files of each split, as given (relative to the spec's folder or the data dir). */
  files?: {
    /** Train files. */
    train: string[];
    /** Validation files. */
    validation?: string[];
    /** Test files. */
    test?: string[];
  };
  /** SQL query of each split, run by DuckDB (instead of `files`). */
  query?: {
    /** Train query. */
    train: string;
    /** Validation query. */
    validation?: string;
    /** Test query. */
    test?: string;
  };
  /** Rules taking validation or test rows from another split's files. */
  split: {
    /** Where validation rows come from. */
    validation?: NormalisedSplitRule;
    /** Where test rows come from. */
    test?: NormalisedSplitRule;
  };
  /** All feature columns (task sets may exclude some). */
  features: NormalisedFeature[];
  /** The task sets by name. */
  taskSets: Record<string, NormalisedTaskSet>;
  /** The task set used when none is named. */
  defaultTaskSet: string;
  /** Group column for GAUC. */
  group?: ColumnRef;
  /** Simulator options, for simulated data. */
  synthetic?: SimulatorOptions;
  /** Where to get the files. */
  download?: DownloadSpec;
}
