import { DatasetError } from '../errors/dataset-error.js';

/**
 * Small typed accessors over untrusted JSON that throw a `DatasetError` naming the key path
 * (`features[3].transform`) and the spec file, so that every spec mistake points at its place.
 */
export class SpecReader {
  constructor(readonly source?: string) {}

  /** Throws a spec error at `key`. */
  fail(key: string, detail: string): never {
    throw new DatasetError(detail, { file: this.source, key });
  }

  /** An object with only the allowed keys. */
  object(value: unknown, key: string, allowed: readonly string[]): Record<string, unknown> {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) this.fail(key, `must be an object, not ${describe(value)}`);
    const obj = value as Record<string, unknown>;
    for (const k of Object.keys(obj)) {
      if (!allowed.includes(k)) this.fail(join(key, k), `unknown key; allowed keys are ${allowed.join(', ')}`);
    }
    return obj;
  }

  /** A non-empty string. */
  string(value: unknown, key: string): string {
    if (typeof value !== 'string' || value.length === 0) this.fail(key, `must be a non-empty string, not ${describe(value)}`);
    return value;
  }

  /** A boolean. */
  boolean(value: unknown, key: string): boolean {
    if (typeof value !== 'boolean') this.fail(key, `must be true or false, not ${describe(value)}`);
    return value;
  }

  /** A finite number. */
  number(value: unknown, key: string): number {
    if (typeof value !== 'number' || !Number.isFinite(value)) this.fail(key, `must be a finite number, not ${describe(value)}`);
    return value;
  }

  /** An integer at least `min`. */
  integer(value: unknown, key: string, min: number): number {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min)
      this.fail(key, `must be an integer >= ${min}, not ${describe(value)}`);
    return value;
  }

  /** A number in `[min, max]`. */
  numberIn(value: unknown, key: string, min: number, max: number): number {
    const n = this.number(value, key);
    if (n < min || n > max) this.fail(key, `must be between ${min} and ${max}, not ${n}`);
    return n;
  }

  /** An array (optionally non-empty). */
  array(value: unknown, key: string, nonEmpty = false): unknown[] {
    if (!Array.isArray(value)) this.fail(key, `must be a list, not ${describe(value)}`);
    if (nonEmpty && value.length === 0) this.fail(key, 'must not be empty');
    return value;
  }

  /** One of the allowed strings. */
  oneOf<T extends string>(value: unknown, key: string, allowed: readonly T[]): T {
    if (typeof value !== 'string' || !allowed.includes(value as T)) {
      this.fail(key, `${describe(value)} is not allowed; use ${allowed.join(', ')}`);
    }
    return value as T;
  }

  /** A column: a non-empty name or a 0-based index. */
  column(value: unknown, key: string): string | number {
    if (typeof value === 'string' && value.length > 0) return value;
    if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
    this.fail(key, `must be a column name or a 0-based column index, not ${describe(value)}`);
  }
}

/** `a` + `b` as a JSON key path (`features[3]` + `transform` = `features[3].transform`). */
export function join(key: string, child: string | number): string {
  if (typeof child === 'number') return `${key}[${child}]`;
  return key === '' ? child : `${key}.${child}`;
}

/** A short rendering of a JSON value for error messages. */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
