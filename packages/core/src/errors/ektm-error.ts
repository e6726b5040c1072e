/**
 * The base of every error ektm raises on purpose. Callers tell kinds apart with `instanceof` (or `error.kind`
 * across realms and worker threads) and the command line maps each kind to its own exit code, so a script can
 * tell "your config is wrong" from "your data is wrong" from "the saved model is broken".
 */
export abstract class EktmError extends Error {
  /** The kind of error, stable across versions: `config`, `data`, `model-file`, `training`, `interrupted`. */
  abstract readonly kind: EktmErrorKind;
}

/** The kinds of {@link EktmError}. */
export type EktmErrorKind = 'config' | 'data' | 'model-file' | 'training' | 'interrupted';

/** True when `error` is an {@link EktmError} of that kind, also for errors that crossed a worker boundary. */
export function isEktmError(error: unknown, kind?: EktmErrorKind): error is EktmError {
  if (error === null || typeof error !== 'object') return false;
  const k = (error as { kind?: unknown }).kind;
  if (typeof k !== 'string' || !(error instanceof Error || 'message' in error)) return false;
  return kind === undefined ? ['config', 'data', 'model-file', 'training', 'interrupted'].includes(k) : k === kind;
}
