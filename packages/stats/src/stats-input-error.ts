/**
 * Why a statistic could not be computed: the input was malformed (`invalid`: lengths differ, a label other
 * than 0/1, a NaN score, an option out of range), or it was well formed but cannot support the statistic
 * (`insufficient`: fewer than two positives or negatives for DeLong's variance, no gap to close).
 */
export type StatsInputErrorReason = 'invalid' | 'insufficient';

/**
 * The one error `@ektm/stats` raises on purpose. It extends `RangeError` (the inputs are out of the statistic's
 * domain) and names the function, the argument and, for an array, the index at fault, so that a caller such as
 * `ektm compare` can tell "this task has one class in the test set" (`reason: 'insufficient'`: skip the test
 * and say why) from a bug in its own code (`reason: 'invalid'`). The package has no dependency on `@ektm/core`,
 * so it does not use core's error classes; the command line wraps this one where it needs a typed error.
 */
export class StatsInputError extends RangeError {
  /** `StatsInputError`, so that logs and `error.name` checks tell it from a plain RangeError. */
  override readonly name = 'StatsInputError';

  constructor(
    message: string,
    /** The argument or option at fault: `labels`, `scoresB`, `mask`, `options.level`, `perSeed[2].se`. */
    readonly argument: string,
    /** Malformed input, or well-formed input that cannot support the statistic. */
    readonly reason: StatsInputErrorReason = 'invalid',
  ) {
    super(message);
  }
}
