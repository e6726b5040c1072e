/** Checks a list of task names (non-empty strings, no duplicates); `where` names the option in the error. */
import { ConfigError } from '@ektm/core';
export function validateTaskNames(value: unknown, where: string, minimum = 1): string[] {
  if (!Array.isArray(value) || value.length < minimum || value.some((v) => typeof v !== 'string' || v === '')) {
    throw new ConfigError(`${where}: ${JSON.stringify(value)} must be an array of at least ${minimum} task name(s)`, where);
  }
  if (new Set(value).size !== value.length) throw new ConfigError(`${where}: duplicate task names in ${value.join(', ')}`, where);
  return [...(value as string[])];
}

/** Checks an optional positive integer option and returns it or its default. */
export function positiveInteger(value: number | undefined, fallback: number, where: string): number {
  const v = value ?? fallback;
  if (!(Number.isInteger(v) && v > 0)) throw new ConfigError(`${where}: ${value} must be a positive integer`, where);
  return v;
}

/** Checks an optional non-negative finite number option and returns it or its default. */
export function nonNegative(value: number | undefined, fallback: number, where: string): number {
  const v = value ?? fallback;
  if (!(Number.isFinite(v) && v >= 0)) throw new ConfigError(`${where}: ${value} must be a finite number >= 0`, where);
  return v;
}
