import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { BatchReport } from '../batching/micro-batcher.js';

/** Why a request failed, as the `kind` label of `ektm_serve_errors_total`. */
export type ServeErrorKind = 'invalid_request' | 'unknown_model' | 'unavailable' | 'inference' | 'internal';

/** Bucket bounds (seconds) of the latency histograms: 0.5 ms to 10 s. */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Powers of two up to `max` and `max` itself: bucket bounds of batch sizes. */
function sizeBuckets(max: number): number[] {
  const out: number[] = [];
  for (let b = 1; b < max; b *= 2) out.push(b);
  out.push(max);
  return out;
}

/**
 * The server's Prometheus metrics, in a registry of its own (two servers in one process do not mix): requests by
 * route and status, request latency, rows per engine call and requests merged per call (the micro-batching at
 * work), engine time, errors by kind, reloads, the loaded model, and Node's process metrics.
 */
export class ServerMetrics {
  /** The registry `/metrics` renders. */
  readonly registry = new Registry();
  private readonly requests: Counter<'route' | 'method' | 'status'>;
  private readonly latency: Histogram<'route'>;
  private readonly instances: Counter;
  private readonly batchRows: Histogram;
  private readonly batchRequests: Histogram;
  private readonly inference: Histogram;
  private readonly errors: Counter<'kind'>;
  private readonly reloads: Counter<'result'>;
  private readonly model: Gauge<'model' | 'version' | 'engine'>;
  private readonly inFlight: Gauge;

  constructor(maxBatchRows: number) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.requests = new Counter({
      name: 'ektm_serve_requests_total',
      help: 'HTTP requests answered, by route, method and status code.',
      labelNames: ['route', 'method', 'status'],
      registers,
    });
    this.latency = new Histogram({
      name: 'ektm_serve_request_duration_seconds',
      help: 'Time from receiving a request to sending its answer, by route.',
      labelNames: ['route'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.instances = new Counter({ name: 'ektm_serve_instances_total', help: 'Instances (rows) predicted.', registers });
    this.batchRows = new Histogram({
      name: 'ektm_serve_batch_rows',
      help: 'Rows per engine call (micro-batch size).',
      buckets: sizeBuckets(maxBatchRows),
      registers,
    });
    this.batchRequests = new Histogram({
      name: 'ektm_serve_batch_requests',
      help: 'Requests merged into one engine call.',
      buckets: sizeBuckets(maxBatchRows),
      registers,
    });
    this.inference = new Histogram({
      name: 'ektm_serve_inference_duration_seconds',
      help: 'Time the engine took for one micro-batch.',
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.errors = new Counter({
      name: 'ektm_serve_errors_total',
      help: 'Requests that failed, by kind: invalid_request (400), unknown_model (404), unavailable (503), inference and internal (500).',
      labelNames: ['kind'],
      registers,
    });
    this.reloads = new Counter({
      name: 'ektm_serve_model_reloads_total',
      help: 'Model reloads (SIGHUP or a change of the model folder), by result.',
      labelNames: ['result'],
      registers,
    });
    this.model = new Gauge({
      name: 'ektm_serve_model_info',
      help: 'The model being served (value 1), by name, version and engine.',
      labelNames: ['model', 'version', 'engine'],
      registers,
    });
    this.inFlight = new Gauge({ name: 'ektm_serve_in_flight_requests', help: 'Requests received and not yet answered.', registers });
  }

  /** A request arrived. */
  requestStarted(): void {
    this.inFlight.inc();
  }

  /** A request was answered. `route` is the route pattern (never the raw URL, to bound the label values). */
  requestFinished(route: string, method: string, status: number, seconds: number): void {
    this.inFlight.dec();
    this.requests.inc({ route, method, status: String(status) });
    this.latency.observe({ route }, seconds);
  }

  /** Instances of a successful predict request. */
  predicted(rows: number): void {
    this.instances.inc(rows);
  }

  /** An engine call finished. */
  batch(report: BatchReport): void {
    this.batchRows.observe(report.rows);
    this.batchRequests.observe(report.requests);
    this.inference.observe(report.seconds);
  }

  /** A request failed. */
  error(kind: ServeErrorKind): void {
    this.errors.inc({ kind });
  }

  /** A reload finished. */
  reloaded(ok: boolean): void {
    this.reloads.inc({ result: ok ? 'ok' : 'failed' });
  }

  /** The model now served (replaces the previous one's labels). */
  serving(model: string, version: string, engine: string): void {
    this.model.reset();
    this.model.set({ model, version, engine }, 1);
  }

  /** The text `/metrics` answers with. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  /** The Content-Type of {@link render}'s text. */
  get contentType(): string {
    return this.registry.contentType;
  }
}
