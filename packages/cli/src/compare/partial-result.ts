import type { CompareResult } from './compare-result.js';

const partials = new WeakMap<object, CompareResult>();

/**
 * Attaches to the error a comparison stopped with (interrupted, or a run that failed) the result of the runs it
 * finished, so that the caller can still write the table, the JSON and the report from what exists.
 */
export function attachPartialResult(error: unknown, result: CompareResult): void {
  if (typeof error === 'object' && error !== null) partials.set(error, result);
}

/** The result of the runs finished before a comparison stopped with `error`, when it has one. */
export function partialResult(error: unknown): CompareResult | undefined {
  return typeof error === 'object' && error !== null ? partials.get(error) : undefined;
}
