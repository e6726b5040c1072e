import { EktmError } from './ektm-error.js';

/**
 * A saved model or checkpoint that cannot be used: a missing or truncated file, a checksum that does not match,
 * a format version this release cannot read, weights that do not fit the architecture. The message names the file.
 */
export class ModelFileError extends EktmError {
  /** The class name, shown in stack traces and by `String(error)`. */
  override readonly name = 'ModelFileError';
  readonly kind = 'model-file' as const;

  constructor(
    message: string,
    /** The file or directory at fault. */
    readonly file?: string,
    /** `cause`: the error that revealed the problem (a missing file, a JSON parse error). */
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
