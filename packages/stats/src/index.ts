/**
 * `@ektm/stats`: the statistical evidence behind a comparison of models. Exact AUC with DeLong's components
 * (Sun & Xu's fast algorithm), DeLong's paired test, seeds combined, power and sample size, the share of the gap
 * to the optimum closed, a seeded paired bootstrap, and Holm's adjustment. Pure TypeScript, no TensorFlow.js.
 */
export { StatsInputError, type StatsInputErrorReason } from './stats-input-error.js';
export type { Scores, Labels, RowMask } from './inputs.js';
export type { ConfidenceInterval } from './confidence-interval.js';
export { midranks } from './midranks.js';
export { aucComponents, type AucComponents } from './auc-components.js';
export { delongAuc, type DelongAucOptions, type DelongAucResult } from './delong-auc.js';
export { delongTest, type DelongTestOptions, type DelongTestResult } from './delong-test.js';
export { delongCovariance, type DelongCovarianceOptions, type DelongCovarianceResult } from './delong-covariance.js';
export { combineSeeds, type SeedDelta, type CombineSeedsOptions, type CombinedSeeds, type SeedCombinationRule } from './combine-seeds.js';
export { delongTestAcrossSeeds, type DelongTestAcrossSeedsOptions, type DelongTestAcrossSeedsResult } from './delong-test-across-seeds.js';
export { hanleyMcNeilSe } from './hanley-mcneil.js';
export {
  pairedDifferenceSe,
  positivesNeeded,
  minimumDetectableDelta,
  type PowerOptions,
  type PositivesNeededOptions,
  type SampleSize,
  type MinimumDetectableDeltaOptions,
  type DetectableDelta,
} from './power.js';
export { bootstrapAucs, type BootstrapOptions, type BootstrapAucs } from './bootstrap.js';
export { percentileInterval } from './percentile-interval.js';
export { gapClosed, type GapClosedOptions, type GapClosedResult } from './gap-closed.js';
export { holmAdjust } from './holm.js';
export {
  delongTestOfTaskMean,
  type TaskScores,
  type DelongTestOfTaskMeanOptions,
  type DelongTestOfTaskMeanResult,
} from './delong-test-of-task-mean.js';
