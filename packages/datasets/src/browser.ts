/**
 * The browser build of `@ektm/datasets` (the `browser` condition of its `exports`): everything that needs no
 * Node.js module. A page encodes raw rows with a saved {@link Preprocessor} exactly as the Node package does;
 * reading data files, streaming and downloading stay in Node.
 *
 * @packageDocumentation
 */
export * from './errors/dataset-error.js';
export * from './errors/bad-row-counter.js';

export type * from './spec/dataset-spec.js';

export { createFieldSplitter, joinFields } from './parse/split-fields.js';
export type { FieldSplitter } from './parse/split-fields.js';
export { parseDecimal } from './parse/parse-number.js';

export { Preprocessor } from './encode/preprocessor.js';
export type { EncodeRowsOptions, PreprocessorInput, PreprocessorState, PreprocessorTask, RawRecord } from './encode/preprocessor.js';
export type { RecordField } from './encode/preprocessor.js';
export type { FittedFeature, VocabularyFeature, HashedFeature, NumericFeature, BucketisedFeature } from './encode/fitted-feature.js';
export type { FittedNumeric, FittedNumericTransform } from './encode/numeric-transform.js';
export { Vocabulary } from './encode/vocabulary.js';
export { hashBucket } from './encode/hash-bucket.js';

export { memorySource } from './stream/memory-source.js';
export { iterateBatches } from './batch/batches.js';
export type { Batch, BatchOptions } from './batch/batches.js';
export { taskMask } from './batch/task-mask.js';

export { simulate, SIMULATOR_FEATURE_COLUMNS } from './synthetic/simulator.js';
export type { Simulation, SimulatedSplit } from './synthetic/simulator.js';
export { DEFAULT_SIMULATOR_OPTIONS, resolveSimulatorOptions } from './synthetic/simulator-options.js';
export type { SimulatorOptions, ResolvedSimulatorOptions } from './synthetic/simulator-options.js';
