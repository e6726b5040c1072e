/**
 * `@ektm/cli`: the `ektm` command (train, evaluate, predict, compare, bench, datasets, env) and the pieces it
 * is made of, for tools that embed it: {@link run} runs a command line in-process, {@link runComparison}
 * runs the comparison protocol, {@link renderReport} turns its result into a self-contained HTML page.
 *
 * @packageDocumentation
 */
export * from './cli/usage-error.js';
export * from './cli/io.js';
export * from './cli/command-spec.js';
export * from './cli/command.js';
export * from './cli/parse-command.js';
export * from './cli/format-help.js';
export * from './cli/option-values.js';
export * from './cli/run.js';
export * from './commands/commands.js';
export { COMPARE_DEFAULTS, type CompareDefaults } from './commands/compare.js';
export { TRAIN_DEFAULTS, type TrainDefaults } from './commands/train.js';
export * from './compare/compare-result.js';
export * from './compare/summarize.js';
export * from './compare/format-table.js';
export * from './compare/target-tasks.js';
export * from './compare/run-comparison.js';
export { MODELS } from './models/models.js';
export * from './report/render-report.js';
export * from './bench/reference-model.js';
export * from './bench/run-bench.js';
export * from './util/atomic-write.js';
export * from './util/csv.js';
export * from './util/metrics-table.js';
export { CLI_VERSION, packageVersions } from './version.js';
export * from './bench/synthetic-batches.js';
export * from './util/training-hyperparameters.js';
export { BENCH_MAX_DEFAULT_THREADS, defaultBenchThreads } from './commands/bench.js';
