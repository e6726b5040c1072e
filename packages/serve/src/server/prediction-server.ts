import { unwatchFile, watchFile, type Stats } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, EKTM_JSON } from '@ektm/core';
import { DatasetError } from '@ektm/datasets';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { BatcherClosedError, MICRO_BATCH_DEFAULTS, MicroBatcher } from '../batching/micro-batcher.js';
import { ServerMetrics, type ServeErrorKind } from '../metrics/server-metrics.js';
import { loadServedModel, type ServedModel } from '../model/served-model.js';
import { parsePredictBody } from '../request/predict-body.js';
import { RequestError } from '../request/request-error.js';
import { SERVE_DEFAULTS, type ServeOptions } from './serve-options.js';

/** A model and the batcher in front of its engine; replaced as a whole by a reload. */
interface Deployment {
  model: ServedModel;
  batcher: MicroBatcher;
}

/** How a stop ended. */
export interface StopResult {
  /** True when every request in flight was answered before `drainTimeoutMs`. */
  drained: boolean;
}

function checkInteger(key: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${key} is ${value}; it must be an integer from ${min} to ${max}`, key);
  }
  return value;
}

/** An error's HTTP status, when it carries one (Fastify's own errors: bad JSON, body too large, bad content type). */
function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : undefined;
}

function errorKind(status: number, message: string): ServeErrorKind {
  if (status === 404) return 'unknown_model';
  if (status === 503) return 'unavailable';
  if (status < 500) return 'invalid_request';
  return message.startsWith('inference failed') ? 'inference' : 'internal';
}

/**
 * An HTTP server for one saved model, speaking the KServe v1 protocol (`GET /v1/models`, `GET /v1/models/<name>`,
 * `POST /v1/models/<name>:predict`) plus `GET /healthz` and `GET /metrics` (Prometheus). Requests are validated
 * against the model's features, encoded with its saved preprocessing, and micro-batched in front of the engine.
 * `reload()` swaps in a new version of the model folder without dropping a request; `stop()` drains.
 *
 * ```ts
 * const server = await PredictionServer.start({ modelDir: 'models/ektm', port: 0 });
 * await fetch(`${server.url}/v1/models/ektm:predict`, { method: 'POST', body: JSON.stringify({ instances: [row] }) });
 * await server.stop();
 * ```
 */
export class PredictionServer {
  /** The server's metrics (also served at `/metrics`). */
  readonly metrics: ServerMetrics;
  private readonly app: FastifyInstance;
  private readonly log: (line: string) => void;
  private readonly maxInstances: number;
  private current!: Deployment;
  private reloading: Promise<unknown> = Promise.resolve();
  private stopping: Promise<StopResult> | undefined;
  private readonly inFlight = new Set<FastifyRequest>();
  private watching: string | undefined;
  private address = { host: '', port: 0 };

  private constructor(private readonly options: ServeOptions) {
    this.log = options.log ?? (() => undefined);
    this.maxInstances = checkInteger('maxInstances', options.maxInstances ?? SERVE_DEFAULTS.maxInstances, 1);
    const bodyLimit = checkInteger('bodyLimitBytes', options.bodyLimitBytes ?? SERVE_DEFAULTS.bodyLimitBytes, 1024);
    checkInteger('drainTimeoutMs', options.drainTimeoutMs ?? SERVE_DEFAULTS.drainTimeoutMs, 0);
    this.metrics = new ServerMetrics(options.maxBatchRows ?? MICRO_BATCH_DEFAULTS.maxBatchRows);
    this.app = Fastify({ bodyLimit, logger: false, return503OnClosing: true, forceCloseConnections: 'idle' });
    this.routes();
  }

  /** Loads the model, then listens. Resolves once requests are answered; rejects (and listens on nothing) on a bad model or option. */
  static async start(options: ServeOptions): Promise<PredictionServer> {
    if (typeof options?.modelDir !== 'string' || options.modelDir === '') throw new ConfigError('modelDir is required', 'modelDir');
    const port = checkInteger('port', options.port ?? SERVE_DEFAULTS.port, 0, 65535);
    const backlog = checkInteger('backlog', options.backlog ?? SERVE_DEFAULTS.backlog, 1);
    const server = new PredictionServer(options);
    server.current = await server.deploy();
    try {
      await server.app.listen({ host: options.host ?? SERVE_DEFAULTS.host, port, backlog });
    } catch (error) {
      await server.retire(server.current);
      throw error;
    }
    const bound = server.app.server.address();
    server.address = typeof bound === 'object' && bound ? { host: bound.address, port: bound.port } : { host: String(bound), port };
    if (options.watch) server.watch();
    const { model } = server.current;
    server.log(
      `serving model "${model.name}" (version ${model.version}, ${model.engine.runtime}) at ${server.url}/v1/models/${model.name}:predict`,
    );
    return server;
  }

  /** The port the server listens on (the one picked when `port` was 0). */
  get port(): number {
    return this.address.port;
  }

  /** The base URL, e.g. `http://127.0.0.1:8080`. */
  get url(): string {
    const host = this.address.host.includes(':') ? `[${this.address.host}]` : this.address.host;
    return `http://${host}:${this.address.port}`;
  }

  /** The model being served now. */
  get model(): ServedModel {
    return this.current.model;
  }

  /**
   * Loads the model folder again and swaps the new version in: requests already accepted finish on the old one,
   * new requests go to the new one, and nothing is refused meanwhile. On failure the old version keeps serving and
   * the error is thrown. Reloads run one at a time.
   */
  reload(): Promise<ServedModel> {
    const run = this.reloading.then(async () => {
      if (this.stopping) throw new Error('the server is stopping');
      let next: Deployment;
      try {
        next = await this.deploy();
      } catch (error) {
        this.metrics.reloaded(false);
        this.log(`reload failed, still serving version ${this.current.model.version}: ${(error as Error).message}`);
        throw error;
      }
      const previous = this.current;
      this.current = next;
      this.metrics.reloaded(true);
      this.log(`reloaded model "${next.model.name}": version ${previous.model.version} → ${next.model.version}`);
      await this.retire(previous);
      return next.model;
    });
    this.reloading = run.catch(() => undefined);
    return run;
  }

  /**
   * Stops: takes no new connections (requests arriving on open ones get 503), answers every request in flight,
   * then releases the model. After `drainTimeoutMs` the remaining connections are closed and `drained` is false.
   */
  stop(): Promise<StopResult> {
    this.stopping ??= (async () => {
      this.unwatch();
      const timeoutMs = this.options.drainTimeoutMs ?? SERVE_DEFAULTS.drainTimeoutMs;
      let drained = true;
      const timer = setTimeout(() => {
        drained = false;
        this.app.server.closeAllConnections();
      }, timeoutMs);
      try {
        await this.app.close();
        await this.reloading;
        await this.retire(this.current);
      } finally {
        clearTimeout(timer);
      }
      return { drained };
    })();
    return this.stopping;
  }

  /** Whether {@link stop} was called. */
  get stopped(): boolean {
    return this.stopping !== undefined;
  }

  /** Requests received and not yet answered. */
  get requestsInFlight(): number {
    return this.inFlight.size;
  }

  private batcherFor(model: ServedModel): MicroBatcher {
    return new MicroBatcher(
      (table) => model.engine.predict(table),
      this.options,
      (report) => this.metrics.batch(report),
    );
  }

  private async deploy(): Promise<Deployment> {
    const model = await loadServedModel(this.options.modelDir, {
      engine: this.options.engine ?? SERVE_DEFAULTS.engine,
      name: this.options.name,
      threads: this.options.threads,
    });
    let batcher: MicroBatcher;
    try {
      batcher = this.batcherFor(model);
    } catch (error) {
      await model.engine.dispose(); // a bad batching setting: nothing will use this engine
      throw error;
    }
    const deployment = { model, batcher };
    this.metrics.serving(model.name, model.version, model.engine.name);
    return deployment;
  }

  private async retire(deployment: Deployment): Promise<void> {
    await deployment.batcher.close();
    await deployment.model.engine.dispose();
  }

  private watch(): void {
    const file = join(this.current.model.dir, EKTM_JSON);
    this.watching = file;
    // Polling stat, not inotify: saveModel replaces the whole folder (two renames), which a watch on the old inode would miss.
    watchFile(
      file,
      { interval: this.options.watchIntervalMs ?? SERVE_DEFAULTS.watchIntervalMs, persistent: false },
      (now: Stats, before: Stats) => {
        if (now.mtimeMs === 0 || now.mtimeMs === before.mtimeMs) return; // missing mid-replacement, or unchanged
        this.reload().catch(() => undefined); // reload() logged it and the old version keeps serving
      },
    );
  }

  private unwatch(): void {
    if (this.watching) unwatchFile(this.watching);
    this.watching = undefined;
  }

  private fail(reply: FastifyReply, status: number, message: string): FastifyReply {
    this.metrics.error(errorKind(status, message));
    return reply.code(status).send({ error: message });
  }

  private routes(): void {
    const app = this.app;
    const started = new WeakMap<FastifyRequest, number>();
    // Every body is read as JSON whatever its Content-Type, as KServe does (curl -d says x-www-form-urlencoded,
    // fetch with a string body says text/plain).
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => {
      const text = typeof body === 'string' ? body : body.toString('utf8');
      if (text.trim() === '') return done(new RequestError('the body is empty; send {"instances": [...]}', 400), undefined);
      try {
        done(null, JSON.parse(text));
      } catch (error) {
        done(new RequestError(`the body is not valid JSON (${(error as Error).message})`, 400), undefined);
      }
    });
    app.addHook('onRequest', async (request) => {
      started.set(request, performance.now());
      this.inFlight.add(request);
      this.metrics.requestStarted();
    });
    const finished = (request: FastifyRequest, status: number) => {
      if (!this.inFlight.delete(request)) return;
      const seconds = (performance.now() - (started.get(request) ?? performance.now())) / 1000;
      const route = (request.routeOptions.config as { route?: string } | undefined)?.route ?? 'unmatched';
      this.metrics.requestFinished(route, request.method, status, seconds);
    };
    app.addHook('onResponse', async (request, reply) => finished(request, reply.statusCode));
    app.addHook('onRequestAbort', async (request) => finished(request, 499));
    // While draining, every answer closes its connection, so that keep-alive clients reconnect elsewhere and the stop ends.
    app.addHook('onSend', async (_request, reply) => {
      if (this.stopping) reply.header('connection', 'close');
    });

    app.setErrorHandler((error, request, reply) => {
      if (error instanceof RequestError) return this.fail(reply, error.statusCode, error.message);
      const status = statusOf(error);
      if (status !== undefined && status < 500) return this.fail(reply, status, (error as Error).message);
      this.log(`${request.method} ${request.url}: ${(error as Error)?.stack ?? String(error)}`);
      return this.fail(reply, 500, `internal error: ${(error as Error)?.message ?? String(error)}`);
    });
    app.setNotFoundHandler((request, reply) =>
      this.fail(
        reply,
        404,
        `no route ${request.method} ${request.url.split('?')[0]}; the routes are GET /v1/models, GET /v1/models/<name>, POST /v1/models/<name>:predict, GET /healthz, GET /metrics`,
      ),
    );

    app.get('/healthz', { config: { route: 'healthz' } }, async (_request, reply) => {
      const { model } = this.current;
      if (this.stopping) return reply.code(503).send({ status: 'stopping' });
      return { status: 'ok', model: model.name, version: model.version };
    });
    app.get('/metrics', { config: { route: 'metrics' } }, async (_request, reply) =>
      reply.type(this.metrics.contentType).send(await this.metrics.render()),
    );
    app.get('/v1/models', { config: { route: 'models' } }, async () => ({ models: [this.current.model.name] }));
    app.get<{ Params: { name: string } }>('/v1/models/:name', { config: { route: 'model' } }, async (request) => {
      const { model, batcher } = this.known(request.params.name);
      return {
        name: model.name,
        ready: !this.stopping,
        version: model.version,
        savedAt: model.savedAt,
        engine: model.engine.name,
        runtime: model.engine.runtime,
        tasks: model.tasks,
        inputs: model.fields.map((f) => ({ name: f.key, type: f.type === 'numeric' ? 'number' : 'string | number' })),
        maxInstances: this.maxInstances,
        batching: { maxBatchRows: batcher.maxBatchRows, maxWaitMs: batcher.maxWaitMs },
      };
    });
    app.post<{ Params: { name: string } }>(
      '/v1/models/:name(^[^:]+)::predict',
      { config: { route: 'predict' } },
      async (request, reply) => {
        const { model, batcher } = this.known(request.params.name);
        const records = parsePredictBody(request.body, model.fields, this.maxInstances);
        let table;
        try {
          table = model.preprocessor.encodeRows(records);
        } catch (error) {
          if (!(error instanceof DatasetError)) throw error;
          const row = (error.line ?? 1) - 1;
          const field = error.columnName ?? (error.column === undefined ? undefined : String(error.column));
          throw new RequestError(`instances[${row}]${field === undefined ? '' : `.${field}`}: ${error.detail}`, 400, { row, field });
        }
        let result: Record<string, Float32Array>;
        try {
          result = await batcher.submit(table);
        } catch (error) {
          if (error instanceof BatcherClosedError) return this.fail(reply, 503, error.message);
          this.log(`inference failed for ${table.rows} instances: ${(error as Error)?.stack ?? String(error)}`);
          return this.fail(reply, 500, `inference failed: ${(error as Error)?.message ?? String(error)}`);
        }
        const predictions = new Array<Record<string, number>>(table.rows);
        for (let r = 0; r < table.rows; r++) {
          const row: Record<string, number> = {};
          for (const task of model.tasks) row[task] = result[task]![r]!;
          predictions[r] = row;
        }
        this.metrics.predicted(table.rows);
        return { predictions };
      },
    );
  }

  /** The deployment serving `name`, or a 404 naming the model this server has. */
  private known(name: string): Deployment {
    const deployment = this.current;
    if (name !== deployment.model.name) {
      throw new RequestError(`model ${JSON.stringify(name)} is not served here; this server serves "${deployment.model.name}"`, 404);
    }
    return deployment;
  }
}
