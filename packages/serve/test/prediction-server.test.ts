/**
 * The server end to end over real HTTP on 127.0.0.1 (a free port), with a tiny model trained for a few steps:
 * the KServe v1 routes, validation errors, micro-batching seen in the metrics, reload and drain.
 */
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { loadModel, saveModel, train } from '@ektm/core';
import { loadDataset, Preprocessor } from '@ektm/datasets';
import { buildEktm } from '@ektm/model';
import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PredictionServer } from '../src/index.js';
import { saveTinyModel, TINY_SIMULATOR, tinyInstances } from './tiny-model.js';

let dir: string;
let server: PredictionServer;
const logs: string[] = [];

async function call(path: string, init: { method?: string; body?: unknown; raw?: string } = {}) {
  const response = await fetch(`${server.url}${path}`, {
    method: init.method ?? (init.body !== undefined || init.raw !== undefined ? 'POST' : 'GET'),
    headers: init.body !== undefined ? { 'content-type': 'application/json' } : undefined,
    body: init.raw ?? (init.body === undefined ? undefined : JSON.stringify(init.body)),
  });
  const text = await response.text();
  return { status: response.status, type: response.headers.get('content-type') ?? '', text, json: () => JSON.parse(text) };
}

/** The value of one sample line of the Prometheus text (labels given as they print). */
function sample(metrics: string, name: string): number {
  const line = metrics.split('\n').find((l) => l.startsWith(`${name} `));
  if (line === undefined) throw new Error(`no sample ${name} in\n${metrics}`);
  return Number(line.slice(name.length + 1));
}

beforeAll(async () => {
  dir = await saveTinyModel('tiny');
  server = await PredictionServer.start({
    modelDir: dir,
    port: 0,
    maxInstances: 64,
    maxBatchRows: 64,
    maxWaitMs: 5,
    log: (l) => logs.push(l),
  });
});

afterAll(async () => {
  await server?.stop();
  if (dir) rmSync(dirname(dir), { recursive: true, force: true });
});

describe('PredictionServer: the KServe v1 protocol', () => {
  it('lists the model, describes it, and reports health', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(logs[0]).toMatch(
      /^serving model "tiny" \(version [0-9a-f]{12}, tfjs 4\.22\.0 on wasm\) at http:\/\/127\.0\.0\.1:\d+\/v1\/models\/tiny:predict$/,
    );
    expect((await call('/v1/models')).json()).toEqual({ models: ['tiny'] });
    const model = (await call('/v1/models/tiny')).json();
    expect(model).toMatchObject({
      name: 'tiny',
      ready: true,
      engine: 'tfjs',
      tasks: ['click', 'purchase', 'cart', 'favorite'],
      maxInstances: 64,
      batching: { maxBatchRows: 64, maxWaitMs: 5 },
    });
    expect(model.version).toBe(server.model.version);
    expect(model.inputs).toContainEqual({ name: 'item_price', type: 'number' });
    expect(model.inputs).toContainEqual({ name: 'device', type: 'string | number' });
    expect((await call('/healthz')).json()).toEqual({ status: 'ok', model: 'tiny', version: server.model.version });
  });

  it('predicts what the saved model predicts in process, instance by instance, in every task', async () => {
    const instances = tinyInstances(server.model.fields, 20);
    const response = await call('/v1/models/tiny:predict', { body: { instances } });
    expect(response.status).toBe(200);
    const { predictions } = response.json() as { predictions: Array<Record<string, number>> };
    const saved = await loadModel(dir);
    const expected = saved.model.predict(Preprocessor.fromJSON(saved.preprocessing).encodeRows(instances)).tasks;
    saved.model.dispose();
    expect(predictions).toHaveLength(20);
    for (let i = 0; i < 20; i++) {
      expect(Object.keys(predictions[i]!)).toEqual(['click', 'purchase', 'cart', 'favorite']);
      for (const task of Object.keys(expected)) expect(Math.abs(predictions[i]![task]! - expected[task]![i]!)).toBeLessThanOrEqual(1e-6);
    }
    // null is a missing value, as an empty field in the training files.
    const withMissing = { ...instances[0]!, item_price: null, device: null };
    expect((await call('/v1/models/tiny:predict', { body: { instances: [withMissing] } })).status).toBe(200);
  });

  it('reads the body as JSON whatever its content type (curl -d sends a form type)', async () => {
    const instances = tinyInstances(server.model.fields, 1);
    const response = await fetch(`${server.url}/v1/models/tiny:predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: JSON.stringify({ instances }),
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { predictions: unknown[] }).predictions).toHaveLength(1);
  });
});

describe('PredictionServer: bad requests get 400 (or 404) with a message naming the instance and field', () => {
  it('answers every malformed request with a JSON error', async () => {
    const ok = tinyInstances(server.model.fields, 1)[0]!;
    const cases: Array<[{ body?: unknown; raw?: string }, number, string]> = [
      [{ raw: '{"instances": [' }, 400, 'the body is not valid JSON ('],
      [{ raw: '' }, 400, 'the body is empty; send {"instances": [...]}'],
      [{ body: [ok] }, 400, 'the body must be a JSON object {"instances": [...]}, got an array'],
      [{ body: { instances: [] } }, 400, '"instances" is empty'],
      [{ body: { instances: Array.from({ length: 65 }, () => ok) } }, 400, '"instances" holds 65 instances; this server takes at most 64'],
      [
        { body: { instances: [ok, { ...ok, item_price: 'cheap' }] } },
        400,
        'instances[1].item_price: must be a number or null, got the string "cheap"',
      ],
      [{ body: { instances: [ok, ok, { ...ok, user_id: undefined }] } }, 400, 'instances[2].user_id: is missing'],
      [
        { body: { instances: [{ ...ok, device: { type: 'mobile' } }] } },
        400,
        'instances[0].device: must be a string, a number or null, got an object',
      ],
    ];
    for (const [request, status, message] of cases) {
      const response = await call('/v1/models/tiny:predict', request);
      expect(response.status, message).toBe(status);
      expect(response.type).toMatch(/^application\/json/);
      expect(response.json().error).toContain(message);
    }
    const unknownModel = await call('/v1/models/other:predict', { body: { instances: [ok] } });
    expect([unknownModel.status, unknownModel.json().error]).toEqual([404, 'model "other" is not served here; this server serves "tiny"']);
    expect((await call('/v1/models/other')).status).toBe(404);
    const unknownRoute = await call('/v2/models');
    expect(unknownRoute.status).toBe(404);
    expect(unknownRoute.json().error).toMatch(/^no route GET \/v2\/models; the routes are GET \/v1\/models/);
    const metrics = (await call('/metrics')).text;
    expect(sample(metrics, 'ektm_serve_errors_total{kind="invalid_request"}')).toBeGreaterThanOrEqual(8);
    expect(sample(metrics, 'ektm_serve_errors_total{kind="unknown_model"}')).toBeGreaterThanOrEqual(3);
  });

  it('answers a body over the size limit with 413, and a bad setting with a ConfigError naming it', async () => {
    const small = await PredictionServer.start({ modelDir: dir, port: 0, bodyLimitBytes: 2048 });
    try {
      const instances = tinyInstances(small.model.fields, 40);
      const response = await fetch(`${small.url}/v1/models/tiny:predict`, { method: 'POST', body: JSON.stringify({ instances }) });
      expect(response.status).toBe(413);
      expect(((await response.json()) as { error: string }).error).toMatch(/too large/i);
    } finally {
      await small.stop();
    }
    await expect(PredictionServer.start({ modelDir: dir, port: 70_000 })).rejects.toThrow(
      'port is 70000; it must be an integer from 0 to 65535',
    );
    await expect(PredictionServer.start({ modelDir: dir, port: 0, maxBatchRows: 0 })).rejects.toThrow('maxBatchRows is 0');
  });

  it('never crashes on input: random bodies get 400 and the server keeps answering', async () => {
    const keys = server.model.fields.map((f) => f.key);
    const bodies = fc.sample(
      fc.oneof(
        fc.jsonValue(),
        fc.record({ instances: fc.array(fc.dictionary(fc.constantFrom(...keys), fc.jsonValue()), { maxLength: 3 }) }),
        fc.string(),
      ),
      { numRuns: 150, seed: 11 },
    );
    for (const body of bodies) {
      const response = await call('/v1/models/tiny:predict', typeof body === 'string' ? { raw: body } : { body });
      expect([200, 400]).toContain(response.status);
      if (response.status === 400) expect(typeof response.json().error).toBe('string');
    }
    expect((await call('/healthz')).status).toBe(200);
  });
});

describe('PredictionServer: micro-batching and metrics', () => {
  it('merges concurrent requests into batches, and the metrics count requests, rows, batches and latency', async () => {
    const before = (await call('/metrics')).text;
    const instances = tinyInstances(server.model.fields, 64);
    const responses = await Promise.all(instances.map((instance) => call('/v1/models/tiny:predict', { body: { instances: [instance] } })));
    expect(responses.every((r) => r.status === 200)).toBe(true);
    const after = await call('/metrics');
    expect(after.type).toMatch(/^text\/plain; version=0\.0\.4/);
    const delta = (name: string) => sample(after.text, name) - sample(before, name);
    const batches = delta('ektm_serve_batch_rows_count');
    expect(delta('ektm_serve_batch_rows_sum')).toBe(64);
    expect(delta('ektm_serve_batch_requests_sum')).toBe(64);
    expect(batches).toBeGreaterThanOrEqual(1);
    expect(batches).toBeLessThan(64); // some requests shared an engine call
    expect(delta('ektm_serve_instances_total')).toBe(64);
    expect(delta('ektm_serve_requests_total{route="predict",method="POST",status="200"}')).toBe(64);
    expect(delta('ektm_serve_request_duration_seconds_count{route="predict"}')).toBe(64);
    expect(sample(after.text, 'ektm_serve_batch_rows_bucket{le="64"}')).toBe(sample(after.text, 'ektm_serve_batch_rows_count'));
    expect(after.text).toContain(`ektm_serve_model_info{model="tiny",version="${server.model.version}",engine="tfjs"} 1`);
    expect(after.text).toMatch(/# TYPE ektm_serve_request_duration_seconds histogram/);
    expect(after.text).toMatch(/\nprocess_cpu_user_seconds_total /);
  });

  it('leaks no tensors across requests', async () => {
    const instances = tinyInstances(server.model.fields, 8);
    await call('/v1/models/tiny:predict', { body: { instances } });
    const tensors = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) await call('/v1/models/tiny:predict', { body: { instances } });
    expect(tf.memory().numTensors).toBe(tensors);
  });
});

describe('PredictionServer: reload and stop', () => {
  it('reloads a new version saved into the folder without refusing a request in flight', async () => {
    const instances = tinyInstances(server.model.fields, 4);
    const old = (await call('/v1/models/tiny:predict', { body: { instances } })).json().predictions;
    const oldVersion = server.model.version;
    // Train another version (another seed) and save it over the folder, as `ektm train --out` would.
    const data = await loadDataset('synthetic', { simulator: TINY_SIMULATOR });
    const next = buildEktm({ features: data.features, tasks: data.tasks, seed: 1, embeddingDim: 4 });
    await train(next, { train: data.splits.train, epochs: 1, batchSize: 200, seed: 1, progress: 'none' });
    await saveModel(next, dir, { preprocessing: data.preprocessor.toJSON() });
    next.dispose();
    const during = Array.from({ length: 16 }, () => call('/v1/models/tiny:predict', { body: { instances } }));
    const reloaded = await server.reload();
    const answered = await Promise.all(during);
    expect(answered.map((r) => r.status)).toEqual(Array(16).fill(200));
    expect(reloaded.version).not.toBe(oldVersion);
    expect((await call('/healthz')).json().version).toBe(reloaded.version);
    const fresh = (await call('/v1/models/tiny:predict', { body: { instances } })).json().predictions;
    expect(fresh[0].click).not.toBe(old[0].click);
    expect(logs.at(-1)).toBe(`reloaded model "tiny": version ${oldVersion} → ${reloaded.version}`);
    expect((await call('/metrics')).text).toContain('ektm_serve_model_reloads_total{result="ok"} 1');
  });

  it('with watch, reloads by itself when a new version is saved into the folder', async () => {
    const watching = await PredictionServer.start({ modelDir: dir, port: 0, watch: true, watchIntervalMs: 100 });
    try {
      const version = watching.model.version;
      const data = await loadDataset('synthetic', { simulator: TINY_SIMULATOR });
      const next = buildEktm({ features: data.features, tasks: data.tasks, seed: 2, embeddingDim: 4 });
      await saveModel(next, dir, { preprocessing: data.preprocessor.toJSON() });
      next.dispose();
      const deadline = performance.now() + 15_000;
      while (watching.model.version === version && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(watching.model.version).not.toBe(version);
      expect(await watching.metrics.render()).toContain('ektm_serve_model_reloads_total{result="ok"} 1');
    } finally {
      await watching.stop();
    }
  });

  it('stop() answers the requests in flight (held in a batch for 1 s), refuses new ones, then closes', async () => {
    const slow = await PredictionServer.start({ modelDir: dir, port: 0, maxWaitMs: 1_000, maxBatchRows: 1_000 });
    const instances = tinyInstances(slow.model.fields, 2);
    const post = () => fetch(`${slow.url}/v1/models/tiny:predict`, { method: 'POST', body: JSON.stringify({ instances }) });
    const inFlight = Array.from({ length: 8 }, post);
    while (slow.requestsInFlight < 8) await new Promise((r) => setTimeout(r, 5));
    const started = performance.now();
    const stopped = slow.stop();
    expect(
      await fetch(`${slow.url}/healthz`).then(
        (r) => r.status,
        () => 'refused',
      ),
    ).not.toBe(200);
    const answered = await Promise.all(inFlight);
    expect(answered.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect((await answered[0]!.json()).predictions).toHaveLength(2);
    expect(await stopped).toEqual({ drained: true });
    expect(performance.now() - started).toBeLessThan(10_000);
    await expect(post()).rejects.toThrow();
  });

  it('keeps serving the old version when the new one cannot load', async () => {
    const other = await PredictionServer.start({ modelDir: dir, port: 0, log: () => undefined });
    try {
      const version = other.model.version;
      rmSync(`${dir}/weights.bin`, { force: true }); // a broken folder
      await expect(other.reload()).rejects.toThrow(/weights\.bin/);
      expect(other.model.version).toBe(version);
      const instances = tinyInstances(other.model.fields, 1);
      const response = await fetch(`${other.url}/v1/models/tiny:predict`, { method: 'POST', body: JSON.stringify({ instances }) });
      expect(response.status).toBe(200);
      expect(await other.metrics.render()).toContain('ektm_serve_model_reloads_total{result="failed"} 1');
    } finally {
      await other.stop();
    }
  });
});
