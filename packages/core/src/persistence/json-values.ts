/**
 * JSON that keeps the numbers training state needs: `Infinity`, `-Infinity` and `NaN` (an initial best monitor
 * value, a diverged loss) would silently become `null` in plain JSON, so they are written as
 * `{"$number": "Infinity"}` and restored on parse.
 */
import { ConfigError } from '../errors/config-error.js';
import { ModelFileError } from '../errors/model-file-error.js';

const NON_FINITE_TAG = '$number';

/** `JSON.stringify` that keeps non-finite numbers; `what` names the value in the error when it is not JSON-able. */
export function stringifyJsonValue(value: unknown, what: string, indent?: number): string {
  try {
    const text = JSON.stringify(
      value,
      (_key, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? { [NON_FINITE_TAG]: String(v) } : v),
      indent,
    );
    // Internal: caught just below and reported with `what`.
    if (text === undefined) throw new Error(`got ${typeof value}`);
    return text;
  } catch (error) {
    // The value comes from the caller's options (`extra`, `preprocessing`): a config error naming them.
    throw new ConfigError(`${what}: must be JSON-serializable (${(error as Error).message})`, what, undefined, { cause: error });
  }
}

/** `JSON.parse` that restores what {@link stringifyJsonValue} tagged; `file` names the source in the error. */
export function parseJsonValue(text: string, file: string): unknown {
  try {
    return JSON.parse(text, (_key, v: unknown) => {
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
        const keys = Object.keys(v);
        const tag = (v as Record<string, unknown>)[NON_FINITE_TAG];
        if (keys.length === 1 && (tag === 'Infinity' || tag === '-Infinity' || tag === 'NaN')) return Number(tag);
      }
      return v;
    });
  } catch (error) {
    throw new ModelFileError(`${file}: malformed JSON (${(error as Error).message})`, file, { cause: error });
  }
}
