import { ConfigError, type EncodedTable, type FeatureSpec, type TableSource, type TaskSpec } from '@ektm/core';
import {
  describeDataset,
  estimateSplitRows,
  fitPreprocessor,
  childWithoutParentWarnings,
  loadDataset,
  streamSource,
  type LoadOptions,
  type LoadedDataset,
  type Preprocessor,
  type SimulatorOptions,
  type SplitRowEstimate,
} from '@ektm/datasets';
import { collectTable } from './collect-table.js';
import { formatBytes } from './memory-budget.js';

/** A split name. */
export type SplitName = 'train' | 'validation' | 'test';

/** What a command asks for: the dataset as the flags name it, and how much of it may be held in memory. */
export interface CommandDataRequest {
  /** Built-in name or spec path (already resolved against the working directory). */
  dataset: string;
  /** `--data-dir`. */
  dataDir?: string;
  /** `--task-set`. */
  taskSet?: string;
  /** `--max-rows`: rows read from each file (and simulated train rows). */
  maxRows?: number;
  /** Options of a simulated dataset that replace its spec's (split sizes); ignored for a dataset of files. */
  simulator?: SimulatorOptions;
  /** `--memory-budget` in bytes. */
  memoryBudget: number;
  /** A preprocessor saved with a model: a streamed dataset is encoded with it instead of being fitted (evaluate). */
  preprocessor?: Preprocessor;
  /** Receives one line when the dataset is streamed (why, and how big it is estimated). Default: silent. */
  log?: (line: string) => void;
}

/**
 * A dataset as a command uses it, in memory or streamed from disk: the features and tasks a model is built for,
 * the preprocessor saved with it, the train rows (a table, or a source shuffled through a buffer), the validation
 * table (held in memory for per-epoch metrics) and any split for scoring once.
 */
export interface CommandData {
  /** Dataset name. */
  name: string;
  /** Task set. */
  taskSet: string;
  /** Model-facing features. */
  features: FeatureSpec[];
  /** Tasks. */
  tasks: TaskSpec[];
  /** The fitted encoding (saved with a trained model). */
  preprocessor: Preprocessor;
  /** True when the splits stream from disk rather than being loaded. */
  streamed: boolean;
  /** Rows per split: exact in memory; estimated (or unknown) when streamed. */
  rows: SplitRowEstimate;
  /** Training rows. */
  train: EncodedTable | TableSource;
  /** Validation rows, in memory (read from disk on first use when streamed). */
  validation(): Promise<EncodedTable>;
  /** One split for scoring, or undefined when the dataset has no such split. */
  split(name: SplitName): EncodedTable | TableSource | undefined;
  /**
   * Warnings about the data (child labels without their parent, cut values), printed before training. Streamed, the
   * cut values are counted in the fitting pass over train and the child labels on the validation split once it is read.
   */
  warnings: string[];
  /** The in-memory load, when not streamed (simulated data carries the best possible AUC). */
  loaded?: LoadedDataset;
}

/**
 * Bytes an in-memory load needs per row and encoded column: the loader's column buffers (with their growth slack)
 * and the encoded tables it builds from them, measured at about 180 bytes a row for the simulator's 15 columns.
 */
const LOAD_BYTES_PER_CELL = 12;

/**
 * Opens a dataset for a command: loaded into memory when its estimated size fits `memoryBudget`, else streamed from
 * disk, with the preprocessor fitted in one streaming pass over train (or the given saved one). The size is the
 * estimated rows of all splits (`estimateSplitRows`) times the columns a row encodes to; a dataset whose size cannot
 * be known in advance (a SQL query, JSON files) is streamed. The simulator always runs in memory.
 */
export async function openCommandData(request: CommandDataRequest): Promise<CommandData> {
  const options: LoadOptions = {
    dataDir: request.dataDir,
    taskSet: request.taskSet,
    maxRowsPerFile: request.maxRows,
    simulator:
      request.maxRows !== undefined || request.simulator !== undefined
        ? { ...request.simulator, ...(request.maxRows !== undefined ? { trainRows: request.maxRows } : {}) }
        : undefined,
  };
  const description = describeDataset(request.dataset, { dataDir: request.dataDir });
  const estimate = await estimateSplitRows(request.dataset, options);
  const setName = request.taskSet ?? description.defaultTaskSet;
  const set = description.taskSets[setName];
  const cells = set ? set.features.length + set.tasks.length + (description.group !== undefined ? 1 : 0) : 1;
  const known = Object.values(estimate).every((r) => r !== undefined);
  const bytes = known ? (estimate.train! + estimate.validation! + estimate.test!) * cells * LOAD_BYTES_PER_CELL : undefined;
  if (description.source === 'synthetic' || (bytes !== undefined && bytes <= request.memoryBudget)) {
    return inMemoryData(await loadDataset(request.dataset, options));
  }
  const why =
    bytes === undefined
      ? 'its size is not known before reading it'
      : `about ${formatBytes(bytes)} in memory, over the ${formatBytes(request.memoryBudget)} budget`;
  request.log?.(`${description.name}: streaming from disk (${why}); ${rowsText(estimate)}`);
  const warnings: string[] = [];
  const preprocessor =
    request.preprocessor ?? (await fitPreprocessor(request.dataset, { ...options, onWarnings: (found) => warnings.push(...found) }));
  const source = (split: SplitName, chunkRows?: number) => streamSource(request.dataset, split, { ...options, preprocessor, chunkRows });
  const validationBytes = estimate.validation === undefined ? undefined : estimate.validation * cells * LOAD_BYTES_PER_CELL;
  let validation: Promise<EncodedTable> | undefined;
  return {
    name: description.name,
    taskSet: preprocessor.taskSet,
    features: preprocessor.features,
    tasks: preprocessor.tasks,
    preprocessor,
    streamed: true,
    warnings,
    rows: estimate,
    train: source('train'),
    validation: () => {
      if (validationBytes !== undefined && validationBytes > request.memoryBudget) {
        throw new ConfigError(
          `the validation split (about ${estimate.validation} rows, ${formatBytes(validationBytes)}) is held in memory for the per-epoch metrics and does not fit --memory-budget ${formatBytes(request.memoryBudget)}; raise the budget or give a smaller validation split`,
          'memory-budget',
        );
      }
      // Child labels without their parent are checked on the validation rows, the split held in memory.
      return (validation ??= collectTable(source('validation', 16_384)).then((table) => {
        warnings.push(...childWithoutParentWarnings(preprocessor.tasks, { validation: table }));
        return table;
      }));
    },
    split: (name) => (splitExists(description, name) ? source(name, 16_384) : undefined),
  };
}

/** A dataset loaded into memory, as a command uses it. */
export function inMemoryData(loaded: LoadedDataset): CommandData {
  const { train, validation, test } = loaded.splits;
  return {
    name: loaded.name,
    taskSet: loaded.taskSet,
    features: loaded.features,
    tasks: loaded.tasks,
    preprocessor: loaded.preprocessor,
    streamed: false,
    warnings: loaded.warnings,
    rows: { train: train.rows, validation: validation.rows, test: test?.rows },
    train,
    validation: async () => validation,
    split: (name) => loaded.splits[name],
    loaded,
  };
}

function splitExists(description: ReturnType<typeof describeDataset>, split: SplitName): boolean {
  if (split !== 'test') return true;
  return Boolean(description.files?.test ?? description.queries?.test ?? description.split.test);
}

function rowsText(estimate: SplitRowEstimate): string {
  if (Object.values(estimate).every((r) => r === undefined)) return 'row counts unknown until read';
  const part = (split: SplitName) =>
    `${estimate[split] === undefined ? 'unknown' : `~${estimate[split]!.toLocaleString('en-US')}`} ${split}`;
  return `${part('train')}, ${part('validation')}, ${part('test')} rows`;
}
