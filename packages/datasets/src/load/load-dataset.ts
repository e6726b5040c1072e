import type { DatasetSpec } from '../spec/dataset-spec.js';
import type { SplitName } from '../spec/normalised-spec.js';
import type { SimulatorOptions } from '../synthetic/simulator-options.js';
import type { LoadedDataset } from './loaded-dataset.js';
import type { ResolveOptions, ResolvedDataset } from './resolve-dataset.js';
import { BadRowCounter } from '../errors/bad-row-counter.js';
import { DatasetError } from '../errors/dataset-error.js';
import { readRows } from '../parse/row-reader.js';
import { SPLIT_NAMES } from '../spec/normalised-spec.js';
import { pickTaskSet } from '../spec/pick-task-set.js';
import { toLoadedDataset } from './to-loaded-dataset.js';
import { DatasetAssembler } from './dataset-assembler.js';
import { SplitAssigner } from './split-assigner.js';
import { absolutePath, resolveDataset } from './resolve-dataset.js';
import { loadSyntheticDataset } from '../synthetic/load-synthetic.js';

/** Options of {@link loadDataset}. */
export interface LoadOptions extends ResolveOptions {
  /** Task set to build; default the spec's `defaultTaskSet`. */
  taskSet?: string;
  /** Malformed rows to skip (and count) before a bad row becomes an error. Default 0. */
  maxBadRows?: number;
  /** Read at most this many data rows of each file (quick runs on huge files). */
  maxRowsPerFile?: number;
  /** Simulator options overriding the spec's, for the synthetic dataset. */
  simulator?: SimulatorOptions;
  /**
   * Leave the test split out, for model selection that must never see it (`ektm tune`): the test files are not
   * opened, rows a split rule sends to test are dropped unread (before decoding), the simulator does not add its test
   * rows, and `splits.test` is absent. Train and validation are encoded exactly as in a full load (vocabularies and
   * statistics come from train alone). Default false.
   */
  withoutTest?: boolean;
}

/**
 * Loads a dataset fully into memory, split and encoded: a built-in name (`"census-income"`, `"synthetic"`),
 * the path of a JSON spec file, or a spec object. Vocabularies and numeric statistics come from the train
 * split only. Malformed input raises a `DatasetError` naming the file, line and column, unless `maxBadRows`
 * lets it skip the row (the count is in `badRows`). For files larger than memory use `streamSource`.
 */
export async function loadDataset(dataset: string | DatasetSpec, options: LoadOptions = {}): Promise<LoadedDataset> {
  const resolved = resolveDataset(dataset, options);
  if (resolved.spec.synthetic) return loadSyntheticDataset(resolved.spec, options);
  const { spec } = resolved;
  const taskSet = pickTaskSet(spec, options.taskSet);
  const badRows = new BadRowCounter(options.maxBadRows ?? 0);
  const assembler = new DatasetAssembler(spec, taskSet, badRows);
  const assigner = new SplitAssigner(spec.split);
  for (const fileSplit of SPLIT_NAMES) {
    if (options.withoutTest && fileSplit === 'test') continue;
    const rowCounter = { next: 0 };
    for (const path of dataFiles(resolved, fileSplit)) {
      try {
        for await (const batch of readRows(path, spec.format, { maxRows: options.maxRowsPerFile, rowCounter })) {
          assembler.useLayout(batch.layout);
          for (let r = 0; r < batch.rows.length; r++) {
            const split = assigner.assign(fileSplit, batch.rowIndices[r]!);
            if (options.withoutTest && split === 'test') continue;
            assembler.addFields(batch.rows[r]!, split, { file: path, line: batch.lines[r] });
          }
        }
      } catch (error) {
        throw withDownloadHint(error, resolved);
      }
    }
  }
  return toLoadedDataset(spec, taskSet, assembler.finish(), badRows, { withoutTest: options.withoutTest });
}

/** The absolute paths of the files of one split (none when the split has no files of its own). */
export function dataFiles(resolved: ResolvedDataset, split: SplitName): string[] {
  return (resolved.spec.files?.[split] ?? []).map((p) => absolutePath(resolved, p));
}

/** A missing built-in file gets a hint on where to put it or how to download it. */
export function withDownloadHint(error: unknown, resolved: ResolvedDataset): unknown {
  if (!(error instanceof DatasetError) || error.detail !== 'file not found' || !resolved.builtin) return error;
  const how = resolved.spec.download?.files
    ? `run \`ektm datasets download ${resolved.spec.name}\` (in code: downloadDataset("${resolved.spec.name}"))`
    : (resolved.spec.download?.instructions ?? 'see describeDataset for where to get it');
  return error.withDetail(` (data dir ${resolved.baseDir}); ${how}, or point --data-dir / dataDir at a folder that holds it`);
}
