import type { DatasetSpec } from '../spec/dataset-spec.js';
import type { LoadOptions } from '../load/load-dataset.js';
import type { FeatureSelection } from '../load/feature-selection.js';
import type { FileLayout } from '../parse/file-layout.js';
import type { RawRow } from '../parse/row-decoder.js';
import { Preprocessor } from '../encode/preprocessor.js';
import { BadRowCounter } from '../errors/bad-row-counter.js';
import { DatasetError } from '../errors/dataset-error.js';
import { FeatureFitter } from '../encode/feature-fitter.js';
import { MAX_CATEGORICAL_VALUE_LENGTH, RowDecoder } from '../parse/row-decoder.js';
import { truncationWarnings } from '../load/data-warnings.js';
import { rowLocation } from '../parse/row-reader.js';
import { readSplitRows } from '../load/read-split.js';
import { pickTaskSet } from '../spec/pick-task-set.js';
import { buildPreprocessor } from '../load/build-preprocessor.js';
import { selectFeatures } from '../load/feature-selection.js';
import { SplitAssigner } from '../load/split-assigner.js';
import { loadDataset, withDownloadHint } from '../load/load-dataset.js';
import { resolveDataset } from '../load/resolve-dataset.js';

/** Options of {@link fitPreprocessor}: those of `loadDataset`, and where its warnings go. */
export interface FitPreprocessorOptions extends LoadOptions {
  /**
   * Receives the warnings of the pass (categorical values cut to the length limit), as `loadDataset` returns them in
   * `warnings`. Default: none are reported.
   */
  onWarnings?: (warnings: string[]) => void;
}

/**
 * Fits vocabularies and numeric statistics in one streaming pass over the train rows, without holding them,
 * for training on files larger than memory. On the same files it fits exactly what `loadDataset` fits
 * (bucket quantiles too, up to 200,000 train values per feature; beyond that they come from a seeded sample).
 */
export async function fitPreprocessor(dataset: string | DatasetSpec, options: FitPreprocessorOptions = {}): Promise<Preprocessor> {
  const resolved = resolveDataset(dataset, options);
  const { spec } = resolved;
  if (spec.synthetic) {
    const loaded = await loadDataset(dataset, options);
    options.onWarnings?.(loaded.warnings);
    return loaded.preprocessor;
  }
  const taskSet = pickTaskSet(spec, options.taskSet);
  const assigner = new SplitAssigner(spec.split);
  const badRows = new BadRowCounter(options.maxBadRows ?? 0);
  let selection: FeatureSelection | undefined;
  let fitter: FeatureFitter | undefined;
  let firstLayout: FileLayout | undefined;
  let layout: FileLayout | undefined;
  let decoder: RowDecoder | undefined;
  let raw: RawRow | undefined;
  const rowCounter = { next: 0 };
  const truncated: number[] = [];
  const countTruncations = () => decoder?.truncated.forEach((n, i) => (truncated[i] = (truncated[i] ?? 0) + n));
  try {
    for await (const batch of readSplitRows(resolved, 'train', { maxRows: options.maxRowsPerFile, rowCounter, duckdb: options.duckdb })) {
      if (batch.layout !== layout) {
        layout = batch.layout;
        if (!selection) {
          selection = selectFeatures(spec, taskSet, layout);
          fitter = new FeatureFitter(selection.features);
          firstLayout = layout;
        }
        countTruncations();
        decoder = new RowDecoder(selection.schema, layout);
        raw = decoder.newRow();
      }
      for (let r = 0; r < batch.rows.length; r++) {
        if (assigner.assign('train', batch.rowIndices[r]!) !== 'train') continue;
        const fields = batch.rows[r]!;
        try {
          if (fields instanceof DatasetError) throw fields;
          decoder!.decode(decoder!.dense(fields), raw!);
        } catch (error) {
          if (!(error instanceof DatasetError)) throw error;
          badRows.record(error.locate(rowLocation(batch, r)));
          continue;
        }
        for (let i = 0; i < raw!.categorical.length; i++) if (!fitter!.isHashed(i)) fitter!.intern(i, raw!.categorical[i], true);
        for (let i = 0; i < raw!.numeric.length; i++) fitter!.observeNumeric(i, raw!.numeric[i]!);
      }
    }
  } catch (error) {
    throw withDownloadHint(error, resolved);
  }
  if (!selection) throw new DatasetError('no train rows were read');
  countTruncations();
  const categoricalNames = selection.features.filter((f) => f.type === 'categorical').map((f) => f.name);
  options.onWarnings?.(
    truncationWarnings(new Map(categoricalNames.map((name, i) => [name, truncated[i] ?? 0])), MAX_CATEGORICAL_VALUE_LENGTH),
  );
  return buildPreprocessor(spec, taskSet, firstLayout!, fitter!.fit());
}
