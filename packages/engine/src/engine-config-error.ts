/**
 * A wrong engine option or environment variable: `EKTM_BACKEND`, `EKTM_WASM_THREADS`, a forced backend that is not
 * installed. The engine sits below `@ektm/core`, so this cannot extend core's `ConfigError`; it carries the same
 * `kind` (`'config'`) and `key`, so that `isEktmError(error, 'config')` holds and `ektm` exits with the config code.
 */
export class EngineConfigError extends Error {
  /** The class name, shown in stack traces and by `String(error)`. */
  override readonly name = 'EngineConfigError';
  /** Always `'config'`: an {@link EngineConfigError} is a config error in the sense of `@ektm/core`'s `EktmError`. */
  readonly kind = 'config' as const;

  constructor(
    message: string,
    /** The option or environment variable at fault (`backend`, `EKTM_BACKEND`, `wasmThreads`, `EKTM_WASM_THREADS`). */
    readonly key?: string,
  ) {
    super(message);
  }
}
