/**
 * `@ektm/datasets`: real data in, encoded tables out. Datasets are JSON specs (files, format, features,
 * tasks, split); built-ins cover census-income, AliExpress, Ali-CCP and a seeded simulator of the EKTM
 * patterns. Everything returns `@ektm/core`'s `EncodedTable`, `FeatureSpec` and `TaskSpec`.
 *
 * @packageDocumentation
 */
export { type DatasetErrorLocation, DatasetError } from './errors/dataset-error.js';
export { type BadRowReport, BadRowCounter } from './errors/bad-row-counter.js';

export type {
  ColumnRef,
  FileList,
  DatasetSpec,
  FormatSpec,
  FilesSpec,
  SplitSpec,
  SplitRuleSpec,
  NumericTransformName,
  FeatureColumnSpec,
  PositiveRule,
  TaskColumnSpec,
  TaskSetSpec,
  VocabularySpec,
  DownloadSpec,
  DownloadFileSpec,
} from './spec/dataset-spec.js';
export {
  type SplitName,
  SPLIT_NAMES,
  type NormalisedFormat,
  type NormalisedSplitRule,
  type NormalisedFeature,
  type NormalisedTask,
  type NormalisedTaskSet,
  type NormalisedSpec,
} from './spec/normalised-spec.js';
export { validateDatasetSpec, DEFAULT_VALIDATION_RULE } from './spec/validate-spec.js';

export { createFieldSplitter, joinFields } from './parse/split-fields.js';
export type { FieldSplitter } from './parse/split-fields.js';
export { parseDecimal } from './parse/parse-number.js';

export { Preprocessor } from './encode/preprocessor.js';
export type {
  EncodedRowsWithReport,
  EncodeRowsOptions,
  PreprocessorInput,
  PreprocessorState,
  PreprocessorTask,
  RawRecord,
} from './encode/preprocessor.js';
export type { RecordField } from './encode/preprocessor.js';
export type { FittedFeature, VocabularyFeature, HashedFeature, NumericFeature, BucketisedFeature } from './encode/fitted-feature.js';
export type { FittedNumeric, FittedNumericTransform } from './encode/numeric-transform.js';
export { Vocabulary } from './encode/vocabulary.js';
export { hashBucket } from './encode/hash-bucket.js';

export { loadDataset } from './load/load-dataset.js';
export type { LoadOptions } from './load/load-dataset.js';
export type { LoadedDataset } from './load/loaded-dataset.js';
export type { ResolveOptions } from './load/resolve-dataset.js';

export { streamSource } from './stream/stream-source.js';
export type { StreamOptions, StreamingTableSource } from './stream/stream-source.js';
export { fitPreprocessor } from './stream/fit-preprocessor.js';
export { memorySource } from './stream/memory-source.js';

export { iterateBatches } from './batch/batches.js';
export type { Batch, BatchOptions } from './batch/batches.js';
export { taskMask } from './batch/task-mask.js';

export { listDatasets, describeDataset } from './builtin/describe-dataset.js';
export type {
  DatasetDescription,
  DatasetListing,
  FeatureDescription,
  TaskDescription,
  TaskSetDescription,
} from './builtin/describe-dataset.js';

export { simulate, SIMULATOR_FEATURE_COLUMNS } from './synthetic/simulator.js';
export type { Simulation, SimulatedSplit } from './synthetic/simulator.js';
export { DEFAULT_SIMULATOR_OPTIONS, resolveSimulatorOptions } from './synthetic/simulator-options.js';
export type { SimulatorOptions, ResolvedSimulatorOptions } from './synthetic/simulator-options.js';

export { DEFAULT_DATA_DIR } from './download/data-dir.js';
export { downloadDataset } from './download/download-dataset.js';
export type { DownloadOptions, DownloadResult, FetchLike } from './download/download-dataset.js';
export { digestFile, verifyChecksum } from './download/checksum.js';
export type { FileDigest } from './download/checksum.js';
export { writeFileAtomically } from './download/atomic-write.js';
export { describeInputReport, type InputReport, type MissingColumns } from './encode/input-report.js';
export { MAX_CATEGORICAL_VALUE_LENGTH } from './parse/row-decoder.js';
export { childWithoutParentWarnings, truncationWarnings } from './load/data-warnings.js';
