/**
 * `ektm serve` as users run it: the built executable (packages/cli/dist/bin.js, built by `npm test`'s build step)
 * is spawned on 127.0.0.1 with a free port, and stops by itself (SIGTERM) at the end of every test.
 * The Done-when case of the serving issue: a freshly trained EKTM model answers 2,000 concurrent single-row
 * requests with the probabilities of `ektm predict` (1e-5).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simulate } from '@ektm/datasets';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BUILT_BIN, inProcessCli, scratchFolder, spawnEnv, writeSimulatedSpec } from '../testing/cli-harness.js';

const dir = scratchFolder('ektm-serve-cli-');
const simulator = { seed: 9, trainRows: 1000, validationRows: 300, testRows: 2000 };
writeSimulatedSpec(dir, simulator, { defaultTaskSet: 'ektm' });

const cli = inProcessCli(dir);

/** Trains a tiny EKTM into `out`, replacing what is there (a new version, for the reload test). */
async function trainTiny(out: string, seed: number): Promise<void> {
  const trained = await cli(
    ['train', '--dataset', 'tiny.json', '--model', 'ektm', '--epochs', '1', '--batch-size', '250', '--seed', String(seed)].concat([
      '--embedding-dim',
      '4',
      '--out',
      out,
      '--force',
      '--quiet',
    ]),
  );
  expect(trained.code, trained.err).toBe(0);
}

/** A spawned `ektm serve`, its URL once it listens, and its exit. */
interface Served {
  child: ChildProcess;
  url: string;
  stderr: () => string;
  exit: Promise<number | null>;
}

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/** Spawns `ektm serve --port 0 ...` and resolves once it prints the URL it listens on (60 s at most). */
function serve(args: string[]): Promise<Served> {
  const child = spawn(process.execPath, [BUILT_BIN, 'serve', '--port', '0', ...args], { cwd: dir, env: spawnEnv() });
  children.push(child);
  let stderr = '';
  const exit = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return new Promise((ready, fail) => {
    const timer = setTimeout(() => fail(new Error(`ektm serve did not start in 60 s:\n${stderr}`)), 60_000);
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /at (http:\/\/127\.0\.0\.1:\d+)\/v1\/models\//.exec(stderr);
      if (match) {
        clearTimeout(timer);
        ready({ child, url: match[1]!, stderr: () => stderr, exit });
      }
    });
    void exit.then((code) => {
      clearTimeout(timer);
      fail(new Error(`ektm serve exited with ${code} before listening:\n${stderr}`));
    });
  });
}

/** Polls `check` every 20 ms until it is true, for at most `ms`. */
async function until(check: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = performance.now() + ms;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const sim = simulate(simulator);
const featureColumns = sim.columns.slice(0, sim.columns.length - 1 - sim.conversions.length);

describe('ektm serve (the spawned executable)', () => {
  const rows = sim.splits.test.rows.map((r) => r.slice(0, featureColumns.length));
  let tasks: string[];
  let expected: number[][];

  beforeAll(async () => {
    // A freshly trained EKTM model, and what `ektm predict` says about 2,000 raw rows.
    await trainTiny('models/ektm', 0);
    expect(rows).toHaveLength(2000);
    writeFileSync(join(dir, 'rows.csv'), `${[featureColumns.join(','), ...rows.map((r) => r.join(','))].join('\n')}\n`);
    const predicted = await cli(['predict', '--model', 'models/ektm', '--input', 'rows.csv', '--output', 'scores.csv']);
    expect(predicted.code, predicted.err).toBe(0);
    const [header, ...lines] = readFileSync(join(dir, 'scores.csv'), 'utf8').trim().split('\n');
    tasks = header!.split(',');
    expected = lines.map((l) => l.split(',').map(Number));
  });

  it.each(['tfjs', 'onnx'])(
    '--engine %s answers 2,000 concurrent single-row requests with the probabilities of ektm predict (1e-5), and exits 0 on SIGTERM',
    async (engine) => {
      const server = await serve(['--model', 'models/ektm', '--engine', engine]);
      // The client types each value as the model describes its inputs: numbers for numeric columns.
      const model = (await (await fetch(`${server.url}/v1/models/ektm`)).json()) as {
        engine: string;
        inputs: Array<{ name: string; type: string }>;
      };
      expect(model.engine).toBe(engine);
      const numeric = new Set(model.inputs.filter((i) => i.type === 'number').map((i) => i.name));
      const instances = rows.map((r) => Object.fromEntries(featureColumns.map((c, j) => [c, numeric.has(c) ? Number(r[j]) : r[j]])));
      const started = performance.now();
      const answers = await Promise.all(
        instances.map(async (instance) => {
          const response = await fetch(`${server.url}/v1/models/ektm:predict`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ instances: [instance] }),
          });
          expect(response.status).toBe(200);
          return ((await response.json()) as { predictions: Array<Record<string, number>> }).predictions;
        }),
      );
      const seconds = (performance.now() - started) / 1000;
      let maxDiff = 0;
      answers.forEach((predictions, i) => {
        expect(predictions).toHaveLength(1);
        tasks.forEach((task, t) => (maxDiff = Math.max(maxDiff, Math.abs(predictions[0]![task]! - expected[i]![t]!))));
      });
      console.log(
        `${engine} engine: 2000 concurrent single-row requests in ${seconds.toFixed(2)} s; max |served - ektm predict| = ${maxDiff.toExponential(2)}`,
      );
      expect(maxDiff).toBeLessThanOrEqual(1e-5);
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      const batches = Number(/\nektm_serve_batch_rows_count (\d+)/.exec(metrics)![1]);
      expect(batches).toBeLessThan(2000); // the requests were micro-batched

      server.child.kill('SIGTERM');
      expect(await server.exit).toBe(0);
      expect(server.stderr()).toMatch(/SIGTERM: draining \d+ request\(s\) in flight\n.*stopped: every request was answered\n$/);
    },
  );

  it('reloads a new version saved into the folder on SIGHUP, without a restart (onnx engine)', async () => {
    await trainTiny('models/reload', 0);
    const server = await serve(['--model', 'models/reload', '--engine', 'onnx']);
    const version = async () => ((await (await fetch(`${server.url}/healthz`)).json()) as { version: string }).version;
    const before = await version();
    await trainTiny('models/reload', 1);
    server.child.kill('SIGHUP');
    await until(async () => (await version()) !== before, 30_000, 'the reload');
    expect(server.stderr()).toContain(`reloaded model "reload": version ${before} → `);
    server.child.kill('SIGTERM');
    expect(await server.exit).toBe(0);
  });

  it('on SIGTERM, answers the requests in flight before exiting 0', async () => {
    await trainTiny('models/drain', 0);
    // Requests wait up to 1.5 s for company, so they are in flight when the signal comes.
    const server = await serve(['--model', 'models/drain', '--max-wait-ms', '1500', '--max-batch', '1000']);
    const instance = Object.fromEntries(featureColumns.map((c) => [c, null]));
    const inFlight = Array.from({ length: 10 }, () =>
      fetch(`${server.url}/v1/models/drain:predict`, { method: 'POST', body: JSON.stringify({ instances: [instance] }) }),
    );
    const gauge = async () => Number(/\nektm_serve_in_flight_requests (\d+)/.exec(await (await fetch(`${server.url}/metrics`)).text())![1]);
    await until(async () => (await gauge()) >= 11, 10_000, '10 requests in flight'); // 10 predictions + this /metrics
    server.child.kill('SIGTERM');
    const answered = await Promise.all(inFlight);
    expect(answered.map((r) => r.status)).toEqual(Array(10).fill(200));
    for (const response of answered) expect(((await response.json()) as { predictions: unknown[] }).predictions).toHaveLength(1);
    expect(await server.exit).toBe(0);
    expect(server.stderr()).toContain('SIGTERM: draining 10 request(s) in flight');
    expect(server.stderr()).toContain('stopped: every request was answered');
  });

  it('rejects bad flags (exit 2) and a folder that is not a model (exit 4) before listening', async () => {
    const badPort = await cli(['serve', '--model', 'models/ektm', '--port', '70000']);
    expect(badPort.code).toBe(2);
    expect(badPort.err).toContain('--port "70000" is not allowed; use an integer from 0 to 65535');
    const badEngine = await cli(['serve', '--model', 'models/ektm', '--engine', 'pytorch']);
    expect(badEngine.code).toBe(2);
    expect(badEngine.err).toContain('--engine "pytorch" is not allowed');
    const missing = await cli(['serve', '--model', 'no-such-model', '--port', '0']);
    expect(missing.code).toBe(4); // a ModelFileError
    expect(missing.err).toMatch(/no-such-model: no such directory/);
  });
});
