import type { MicroBatchOptions } from '../batching/micro-batcher.js';

/** Settings of a {@link PredictionServer}. */
export interface ServeOptions extends MicroBatchOptions {
  /** The model folder (written by `ektm train` or `saveModel` with preprocessing). Required. */
  modelDir: string;
  /** Engine that runs the model: `tfjs` or `onnx`. Default `tfjs`. */
  engine?: string;
  /** Model name in the URLs (`/v1/models/<name>`). Default: the folder's name. */
  name?: string;
  /** Address to listen on. Default `127.0.0.1` (this machine only); `0.0.0.0` listens on every interface. */
  host?: string;
  /** Port to listen on; 0 picks a free one (read it from {@link PredictionServer.port}). Default 8080, as KServe. */
  port?: number;
  /**
   * Connections the kernel may queue before the server accepts them (capped by `net.core.somaxconn`). Node's
   * default, 511, makes a burst of thousands of new connections wait for SYN retransmits (1 s, 3 s, ...). Default 4096.
   */
  backlog?: number;
  /** Most instances one request may hold; more is a 400. Default 1024. */
  maxInstances?: number;
  /** Largest request body in bytes; more is a 413. Default 16 MiB. */
  bodyLimitBytes?: number;
  /** How long a stop waits for requests in flight before closing their connections, in ms. Default 30,000. */
  drainTimeoutMs?: number;
  /** Reload the model when `ektm.json` in the folder changes (a new version saved over it). Default false. */
  watch?: boolean;
  /** How often the watch looks at `ektm.json`, in ms. Default 1,000. */
  watchIntervalMs?: number;
  /** Threads the engine may use per batch (onnxruntime's intra-op threads). Default: the engine's own. */
  threads?: number;
  /** Receives one line per event (listening, reloads, stops, failed inferences). Default: none. */
  log?: (line: string) => void;
}

/** The defaults of the {@link ServeOptions} that have one (the micro-batching defaults are `MICRO_BATCH_DEFAULTS`). */
export interface ServeDefaults {
  /** Engine: `tfjs`. */
  readonly engine: string;
  /** Address: `127.0.0.1`. */
  readonly host: string;
  /** Port: 8080. */
  readonly port: number;
  /** Listen backlog: 4096. */
  readonly backlog: number;
  /** Instances per request: 1024. */
  readonly maxInstances: number;
  /** Body size: 16 MiB. */
  readonly bodyLimitBytes: number;
  /** Drain timeout: 30 s. */
  readonly drainTimeoutMs: number;
  /** Watch interval: 1 s. */
  readonly watchIntervalMs: number;
}

/** The defaults of {@link ServeOptions}. */
export const SERVE_DEFAULTS: ServeDefaults = {
  engine: 'tfjs',
  host: '127.0.0.1',
  port: 8080,
  backlog: 4096,
  maxInstances: 1024,
  bodyLimitBytes: 16 * 1024 * 1024,
  drainTimeoutMs: 30_000,
  watchIntervalMs: 1_000,
};
