import { UsageError } from './usage-error.js';

/**
 * Converters from flag strings to typed values. Each throws a {@link UsageError} that names the flag, the
 * value given and what is allowed, so that every command reports bad values the same way.
 */

/** A flag's value as text: parseArgs gives a string, a boolean, or an array for a repeated flag. */
function flagText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return `${value}`;
  if (Array.isArray(value)) return value.map(flagText).join(',');
  return JSON.stringify(value) ?? '';
}

/** An integer flag within `[min, max]`; `undefined` when the flag was not given. */
export function intOption(command: string, flag: string, value: unknown, range: { min?: number; max?: number } = {}): number | undefined {
  if (value === undefined) return undefined;
  const text = flagText(value).trim();
  const n = Number(text);
  const min = range.min ?? Number.MIN_SAFE_INTEGER;
  const max = range.max ?? Number.MAX_SAFE_INTEGER;
  if (text === '' || !Number.isInteger(n) || n < min || n > max) {
    const bounds = range.max !== undefined ? `an integer from ${min} to ${max}` : `an integer >= ${min}`;
    throw new UsageError(`ektm ${command}: --${flag} ${JSON.stringify(value)} is not allowed; use ${bounds}`, command);
  }
  return n;
}

/** A number flag with `min < value` (exclusive) or `min <= value`; `undefined` when not given. */
export function numberOption(
  command: string,
  flag: string,
  value: unknown,
  range: { min?: number; exclusiveMin?: boolean; max?: number } = {},
): number | undefined {
  if (value === undefined) return undefined;
  const text = flagText(value).trim();
  const n = Number(text);
  const min = range.min ?? -Infinity;
  const max = range.max ?? Infinity;
  const belowMin = range.exclusiveMin ? n <= min : n < min;
  if (text === '' || !Number.isFinite(n) || belowMin || n > max) {
    const bounds = [range.min !== undefined ? `${range.exclusiveMin ? '>' : '>='} ${min}` : '', range.max !== undefined ? `<= ${max}` : '']
      .filter(Boolean)
      .join(' and ');
    throw new UsageError(
      `ektm ${command}: --${flag} ${JSON.stringify(value)} is not allowed; use a number${bounds ? ` ${bounds}` : ''}`,
      command,
    );
  }
  return n;
}

/** A comma-separated list of integers `>= min` (`0,1,2`), duplicates rejected. */
export function intListOption(command: string, flag: string, value: unknown, min = 0): number[] | undefined {
  if (value === undefined) return undefined;
  const parts = flagText(value)
    .split(',')
    .map((s) => s.trim());
  const out: number[] = [];
  for (const part of parts) {
    const n = Number(part);
    if (part === '' || !Number.isInteger(n) || n < min) {
      throw new UsageError(
        `ektm ${command}: --${flag} ${JSON.stringify(value)}: ${JSON.stringify(part)} is not an integer >= ${min}; give a comma-separated list such as 0,1,2`,
        command,
      );
    }
    if (out.includes(n)) throw new UsageError(`ektm ${command}: --${flag} ${JSON.stringify(value)}: ${n} is listed twice`, command);
    out.push(n);
  }
  return out;
}

/** A comma-separated list of names, each one of `allowed` (`mmoe,ple,ektm`), duplicates rejected. */
export function nameListOption(command: string, flag: string, value: unknown, allowed: readonly string[]): string[] | undefined {
  if (value === undefined) return undefined;
  const parts = flagText(value)
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (parts.length === 0)
    throw new UsageError(`ektm ${command}: --${flag} is empty; use a comma-separated list of ${allowed.join(', ')}`, command);
  for (const part of parts) {
    if (!allowed.includes(part))
      throw new UsageError(`ektm ${command}: --${flag}: unknown name ${JSON.stringify(part)}; allowed: ${allowed.join(', ')}`, command);
  }
  const dup = parts.find((p, i) => parts.indexOf(p) !== i);
  if (dup) throw new UsageError(`ektm ${command}: --${flag}: ${JSON.stringify(dup)} is listed twice`, command);
  return parts;
}

/** One name out of `allowed`; `undefined` when not given. */
export function choiceOption<T extends string>(command: string, flag: string, value: unknown, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!allowed.includes(value as T))
    throw new UsageError(`ektm ${command}: --${flag} ${JSON.stringify(value)} is not allowed; use one of ${allowed.join(', ')}`, command);
  return value as T;
}
