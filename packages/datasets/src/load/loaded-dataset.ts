import type { EncodedTable, FeatureSpec, TaskSpec } from '@ektm/core';
import type { BadRowReport } from '../errors/bad-row-counter.js';
import type { Preprocessor } from '../encode/preprocessor.js';
import type { NormalisedSpec, SplitName } from '../spec/normalised-spec.js';

/** A dataset read, split and encoded for one task set: everything a trainer needs. */
export interface LoadedDataset {
  /** Dataset name. */
  name: string;
  /** What the dataset is. */
  description?: string;
  /** The task set these tables were built for. */
  taskSet: string;
  /** Model-facing feature specs, categorical first (the column order of every table). */
  features: FeatureSpec[];
  /** The tasks (a CVR task carries its `parent`, an ESMM CTCVR task its `product`); labels are keyed by task name. */
  tasks: TaskSpec[];
  /** Encoded rows of each split. Validation always exists (the spec's or every 10th train row). */
  splits: {
    /** Training rows (vocabularies and statistics come from these only). */
    train: EncodedTable;
    /** Validation rows, for model selection and early stopping. */
    validation: EncodedTable;
    /** Test rows, when the dataset has a test split. */
    test?: EncodedTable;
  };
  /** The fitted encoding; save it with a model so that serving encodes raw rows the same way. */
  preprocessor: Preprocessor;
  /** Column whose values group rows for GAUC (the tables then carry `groups`). */
  groupColumn?: string;
  /** Malformed rows skipped under `maxBadRows`. */
  badRows: BadRowReport;
  /**
   * What the data checks found, one line each with counts: rows with a conversion (child label 1) where its parent is
   * 0, categorical values cut to `MAX_CATEGORICAL_VALUE_LENGTH`. Empty when all is well; `ektm` prints them.
   */
  warnings: string[];
  /** Source column of every feature and of every task's label (leakage checks, reports). */
  sources: {
    /** Source column name by feature name. */
    features: Record<string, string>;
    /** Source column name by task name (undefined for a product label). */
    tasks: Record<string, string | undefined>;
  };
  /** Simulated data only: AUC of the true probabilities per split and task, in the task's sample space (the best possible AUC). */
  optimalAuc?: Partial<Record<SplitName, Record<string, number>>>;
  /** Simulated data only: the true probability behind every label, per split and task (CVR tasks: given a click). */
  trueProbabilities?: Partial<Record<SplitName, Record<string, Float32Array>>>;
  /** The validated spec the dataset was loaded from. */
  spec: NormalisedSpec;
}
