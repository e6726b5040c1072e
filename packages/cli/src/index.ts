/**
 * `@ektm/cli`: the `ektm` command (train, evaluate, predict, export, compare, tune, bench, datasets, env) and the pieces it
 * is made of, for tools that embed it: {@link run} runs a command line in-process, {@link runComparison}
 * runs the comparison protocol, {@link renderReport} turns its result into a self-contained HTML page.
 *
 * @packageDocumentation
 */
export { UsageError } from './cli/usage-error.js';
export { captureIo, processIo, type TextSink, type CliIo, type CapturedIo } from './cli/io.js';
export { type OptionSpec, type CommandSpec, HELP_OPTION } from './cli/command-spec.js';
export { type Command } from './cli/command.js';
export { parseCommand, type ParsedCommand } from './cli/parse-command.js';
export { formatHelp, printHelp } from './cli/format-help.js';
export { exitCodeFor, topLevelHelp, groupHelp, findCommand, run, EXIT, EXIT_CODES_SUMMARY, type FoundCommand } from './cli/run.js';
export { COMMANDS } from './commands/commands.js';
export { COMPARE_DEFAULTS, type CompareDefaults } from './commands/compare.js';
export { TRAIN_DEFAULTS, type TrainDefaults } from './commands/train.js';
export {
  type RunTaskMetrics,
  type EpochPoint,
  type RunDiagnostic,
  type CompareRun,
  type CompareResult,
  type LeftOutModel,
  type SplitRows,
  type CompareProtocol,
} from './compare/compare-result.js';
export { seedStatistic, summarizeComparison, type SeedStatistic, type TaskSummaryRow, type TaskSummary } from './compare/summarize.js';
export { formatStatistic, formatComparisonTable, formatComparisonMarkdown, type TableStyle } from './compare/format-table.js';
export { targetTasks, targetMonitor, type WeightedAucMonitor } from './compare/target-tasks.js';
export { runComparison, type ComparisonOptions } from './compare/run-comparison.js';
export { MODELS } from './models/models.js';
export { renderReport, type ReportOptions } from './report/render-report.js';
export {
  referenceFeatures,
  referenceTasks,
  buildReferenceModel,
  type BenchModelName,
  BENCH_MODELS,
  type ReferenceWorkload,
  REFERENCE_WORKLOAD,
  referenceTaskNames,
  MAX_BENCH_TASKS,
  type BenchModelSpec,
} from './bench/reference-model.js';
export { runBench, type BenchOptions, type BenchResult } from './bench/run-bench.js';
export { type ParsedCsv } from './util/csv.js';
export { formatMetricsTable, type PrintableMetrics } from './util/metrics-table.js';
export { CLI_VERSION, packageVersions } from './version.js';
export { uniformGenerator, syntheticBatches, type SyntheticBatchOptions } from './bench/synthetic-batches.js';
export { type StepHyperparameters, type TrainingHyperparameters } from './util/training-hyperparameters.js';
export { BENCH_MAX_DEFAULT_THREADS, defaultBenchThreads } from './commands/bench.js';
export { openCommandData, inMemoryData } from './data/command-data.js';
export type { SplitName, CommandDataRequest, CommandData } from './data/command-data.js';
export { evaluateSource } from './data/evaluate-source.js';
export type { SourceEvaluation } from './data/evaluate-source.js';
export { DEFAULT_MEMORY_BUDGET, MEMORY_BUDGET_OPTION, parseMemoryBudget, formatBytes } from './data/memory-budget.js';
export { BENCH_SIZES, BENCH_TOWER } from './bench/bench-sizes.js';
export { describeMachine, machineInfo, type MachineInfo } from './bench/machine-info.js';
export {
  KernelTimer,
  measurePeakGflops,
  productFlops,
  STEP_PART_DESCRIPTIONS,
  STEP_PARTS,
  stepPartOf,
  type KernelTime,
  type StepPart,
  type StepProfile,
} from './bench/step-profile.js';
export { runTune, DEFAULT_TUNE_PROTOCOL, type TuneOptions, type TuningDataset } from './tune/run-tune.js';
export { type TuneResult, type RungSummary } from './tune/tune-result.js';
export {
  type TrialRecord,
  type TrialTaskMetrics,
  type TrialStatus,
  type SearchIdentity,
  type TuneProtocol,
  type TrialsHeader,
} from './tune/trial-record.js';
export {
  DEFAULT_TUNE_BUDGET,
  parseBudget,
  formatBudget,
  successiveHalvingRungs,
  type TuneBudget,
  type BudgetKind,
  type Rung,
} from './tune/tune-budget.js';
export { drawConfig } from './tune/draw-config.js';
export {
  readTunedConfig,
  checkTunedConfig,
  runSettings,
  type TunedConfig,
  type TunedConfigSource,
  type RunSettings,
  type RunProtocol,
} from './tune/tuned-config.js';
export {
  tuneForComparison,
  type CompareTuning,
  type CompareTuningOptions,
  type CompareTuningOutcome,
  type ModelTuning,
  type TuningRun,
} from './tune/compare-tuning.js';
export { loadTuningData, type TuningDataSource } from './tune/tuning-data.js';
export { TrialsFile, TRIALS_FILE, type OpenedTrials } from './tune/trials-file.js';
export { formatTuneResult } from './tune/format-tune.js';
export { comparisonKey, RunStore, RUNS_FILE_FORMAT, runId, runsFileFor } from './compare/run-store.js';
export { RunProgress } from './compare/run-progress.js';
export { attachPartialResult, partialResult } from './compare/partial-result.js';
export { checkModelFolder, checkOutputFile } from './util/output-paths.js';
export { eventLoopYielder, interruptOnSigint, type Interrupt } from './util/interrupt.js';
export {
  MEAN_OF_TARGETS,
  type Comparison,
  type ReferenceRole,
  type TaskLeader,
  type GapClosedEntry,
  type TestSpace,
  type ComparisonStatistics,
  type CurvePoint,
  type TrainRowsPoint,
  type ComparisonReferences,
  type BestBaseline,
} from './compare/compare-result.js';
export {
  ALPHA,
  comparisonStatistics,
  curvePoints,
  shareOfGap,
  type TestTruth,
  type ComparisonEvidence,
  type ComparisonRuns,
} from './compare/comparison-statistics.js';
export { TestPredictionFiles, type TestPredictions } from './compare/test-predictions.js';
export { trainSubset, subsetOrder, TRAIN_SUBSET_SEED } from './compare/train-subset.js';
export { trainRowsOption } from './commands/compare.js';
export { formatDelta, referenceColumns, findComparison, meanOfTargetsSummary, type ReferenceColumn } from './compare/format-table.js';
