import { EktmError } from './ektm-error.js';

/**
 * A wrong option, setting or argument given in code or in a config file: an unknown key, a value out of range,
 * a model that cannot run on the given tasks. The message names the key and the value, and says what is allowed:
 * `train: batchSize is 0; it must be an integer ≥ 1`.
 */
export class ConfigError extends EktmError {
  /** The class name, shown in stack traces and by `String(error)`. */
  override readonly name = 'ConfigError';
  readonly kind = 'config' as const;

  constructor(
    message: string,
    /** The option or config key at fault (`batchSize`, `earlyStopping.monitor`, `model.router.similarity`), when one is. */
    readonly key?: string,
    /** The file the key was read from (a JSON spec or config), when it came from one. */
    readonly file?: string,
    /** `cause`: the error that revealed the problem (a JSON parse error, a failed lookup). */
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
