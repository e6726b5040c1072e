import { ConfigError, shuffledIndices, takeRows, type EncodedTable } from '@ektm/core';

/** Seed of the one shuffle every training size of `--train-rows` takes its prefix of (fixed, so sizes nest across runs). */
export const TRAIN_SUBSET_SEED = 20_240_601;

/**
 * The first `rows` rows of one seeded Fisher–Yates shuffle of the training split. Every size takes a prefix of the same
 * permutation, so a smaller subset is contained in every larger one (nested subsets: a data-efficiency curve then
 * measures more data, not other data), and the rows are kept in their shuffled order (training reshuffles every epoch).
 */
export function trainSubset(table: EncodedTable, rows: number): EncodedTable {
  if (!Number.isInteger(rows) || rows < 1)
    throw new ConfigError(`--train-rows: ${rows} is not a positive whole number of rows`, 'train-rows');
  if (rows > table.rows) {
    throw new ConfigError(
      `--train-rows: ${rows} rows asked for, but the training split has only ${table.rows}; give sizes up to ${table.rows} (or raise --max-rows for a simulated dataset)`,
      'train-rows',
    );
  }
  return takeRows(table, subsetOrder(table.rows).subarray(0, rows));
}

/** The permutation the training subsets are prefixes of: core's seeded shuffle with {@link TRAIN_SUBSET_SEED}. */
export function subsetOrder(n: number): Uint32Array {
  return shuffledIndices(n, TRAIN_SUBSET_SEED);
}
