import { EktmError } from './ektm-error.js';

/**
 * Work stopped on request (SIGINT, an AbortSignal) after everything finished so far was written. The message says
 * what was kept and how to resume (`--resume`).
 */
export class InterruptedError extends EktmError {
  /** The class name, shown in stack traces and by `String(error)`. */
  override readonly name = 'InterruptedError';
  readonly kind = 'interrupted' as const;
}
