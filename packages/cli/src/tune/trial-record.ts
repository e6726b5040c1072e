/**
 * The records of `trials.jsonl`: a header that says which search the file belongs to, then one line per trial run to a
 * rung, appended as each finishes. Keys listed here never change meaning; new keys may be added.
 */
import type { SearchSpace } from '@ektm/core';
import type { BudgetKind } from './tune-budget.js';

/** Validation metrics of one task at a trial's best validation. `null` when undefined (one class in the split). */
export interface TrialTaskMetrics {
  /** Exact validation AUC in the task's own sample space. */
  auc: number | null;
  /** Mean validation log loss in the task's own sample space. */
  logloss: number | null;
}

/** How a trial run ended: it trained (`ok`), its loss or weights became NaN or infinite (`diverged`), or it failed. */
export type TrialStatus = 'ok' | 'diverged' | 'failed';

/** One trial trained to one rung of successive halving: one line of `trials.jsonl`. */
export interface TrialRecord {
  /** Always `trial`. */
  type: 'trial';
  /** The trial's id: its index in the search, from 0 (its configuration is drawn from the search seed and this id). */
  trial: number;
  /** The rung of successive halving, from 0. */
  rung: number;
  /** What the rung gave the trial: epochs, or seconds of training (see the header's budget kind). */
  resource: number;
  /** The configuration: one value per search-space key that was drawn. */
  config: Record<string, unknown>;
  /** How the run ended. */
  status: TrialStatus;
  /** The validation monitor at the trial's best validation: the mean validation AUC of the target tasks. `null` unless `ok`. */
  score: number | null;
  /** Per-task validation metrics at the best validation. `null` unless `ok`. */
  validation: Record<string, TrialTaskMetrics> | null;
  /** Epochs trained (early stopping may stop before the resource). */
  epochs: number;
  /** The epoch (from 1) of the best validation. */
  bestEpoch: number | null;
  /** The optimizer step of the best validation. */
  bestStep: number | null;
  /** Whether early stopping ended the run before its resource. */
  stoppedEarly: boolean;
  /** The monitor at every validation, in order: `[epochs done, monitor]` (for the report's curves). */
  curve: Array<[number, number | null]>;
  /** Wall-clock seconds of the run (model building, training and validations). */
  seconds: number;
  /** Why it diverged or failed. */
  error?: string;
  /** ISO time the run finished. */
  finishedAt: string;
}

/**
 * What makes two searches the same search: results of one are valid for the other only when all of it matches. The
 * number of trials and the rungs are not part of it: a trial's result depends only on its configuration (drawn from
 * the seed and its id), the seed and its resource, so a rerun with more trials or another `eta` reuses every run it
 * shares with the first.
 */
export interface SearchIdentity {
  /** The dataset: its name, where it came from (a built-in name or the spec's absolute path), task set and sizes. */
  dataset: {
    /** Dataset name. */
    name: string;
    /** `--dataset` as given to the loader (a built-in name or an absolute spec path). */
    source: string;
    /** Task set. */
    taskSet: string;
    /** `--max-rows`, or null. */
    maxRows: number | null;
    /** Training rows. */
    trainRows: number;
    /** Validation rows. */
    validationRows: number;
    /** A checksum of the training and validation labels, so that other data under the same name is told apart. */
    labelChecksum: string;
  };
  /** Task names, in order. */
  tasks: string[];
  /** The tasks the score averages (the dataset's targets among the model's tasks). */
  targets: string[];
  /** Registry name of the model. */
  model: string;
  /** The search space searched. */
  space: SearchSpace;
  /** Seed of the configurations and of every trial's training. */
  seed: number;
  /** Whether rungs count epochs or seconds. */
  budgetKind: BudgetKind;
  /** The settings every trial shares (those the space does not vary). */
  protocol: TuneProtocol;
}

/** The training settings every trial of a search shares; a key the search space varies overrides the value here. */
export interface TuneProtocol {
  /** Rows per step, unless the space varies `batchSize`. */
  batchSize: number;
  /** Adam's learning rate, unless the space varies `learningRate`. */
  learningRate: number;
  /** Embedding dimension, unless the space varies `embeddingDim`. */
  embeddingDim: number;
  /** L2 on the embeddings a batch looks up, unless the space varies `embeddingL2`. */
  embeddingL2: number;
  /** Validations without improvement before early stopping. */
  patience: number;
  /** Validations per epoch (evenly spaced, the last at the end of the epoch). */
  validationsPerEpoch: number;
  /** Time budgets only: the most epochs a trial may train before its time runs out. */
  maxEpochs: number;
}

/** The first line of `trials.jsonl`. */
export interface TrialsHeader {
  /** Always `header`. */
  type: 'header';
  /** Always `ektm-trials`. */
  format: 'ektm-trials';
  /** Format version, 1. */
  version: 1;
  /** Which search the file belongs to. */
  identity: SearchIdentity;
  /** ISO time the search started. */
  createdAt: string;
}
