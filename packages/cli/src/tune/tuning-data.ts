import { loadDataset, type LoadedDataset } from '@ektm/datasets';

/** Where a search's data comes from: what `--dataset`, `--data-dir`, `--task-set` and `--max-rows` said. */
export interface TuningDataSource {
  /** Built-in dataset name or absolute path of a JSON spec. */
  dataset: string;
  /** Folder of the data files. Default: the datasets package's download cache. */
  dataDir?: string;
  /** Task set. Default: the dataset's default. */
  taskSet?: string;
  /** Read at most this many rows of each file (and simulate at most this many training rows). Default: all. */
  maxRows?: number;
}

/**
 * Loads the training and validation splits for tuning, never the test split (its files are not opened, its rows not
 * simulated): model selection sees validation only. The same call in every worker gives the same tables.
 */
export async function loadTuningData(source: TuningDataSource): Promise<LoadedDataset> {
  return loadDataset(source.dataset, {
    dataDir: source.dataDir,
    taskSet: source.taskSet,
    maxRowsPerFile: source.maxRows,
    simulator: source.maxRows !== undefined ? { trainRows: source.maxRows } : undefined,
    withoutTest: true,
  });
}
