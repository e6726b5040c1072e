#!/usr/bin/env node
/* global fetch -- Node 20's */
// The serving benchmark, on this machine and loopback only:
//  1. load test of `ektm serve` (the built CLI) with autocannon: requests/s and p50/p99 latency of single-row predict
//     requests at 1, 32 and 256 concurrent connections, tfjs engine against onnx engine, on an EKTM model trained for
//     one short epoch on the simulator;
//  2. inference throughput of the reference MMoE (../shared/bench/torch_mmoe.py: 20 fields × 10,000 × dim 8,
//     4 experts [256,128], 2 gates, towers [64]; batch 2048) exported to ONNX and run by onnxruntime, against the same
//     model in PyTorch, alternating rounds; tfjs (the engine `ektm bench` uses) on the same batches for reference.
// Everything printed names the CPU (lscpu: model, vector extensions), the thread counts, the date and the load.
//
//   npm run bench:serve -- [--duration 10] [--warmup 2] [--connections 1,32,256] [--engines tfjs,onnx] [--rounds 3]
//                          [--inference-threads 2] [--python /usr/bin/python3] [--torch-script ../shared/bench/torch_mmoe.py]
//                          [--skip-load] [--skip-inference] [--json out/bench-serve.json]
//
// Build first: `npm run build`. Bounded: (duration + warmup) × connections × engines for the load test, about
// rounds × 20 s for the inference comparison. EKTM_QUICK=1 makes it a smoke run (1 s per cell, no warm-up, 1 round of
// 2 batches, a model trained on 2,000 rows) whose numbers mean nothing: it checks that every part still runs.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { clearInterval, clearTimeout, setInterval, setTimeout } from 'node:timers';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const flag = (name) => args.includes(`--${name}`);
const quick = process.env.EKTM_QUICK === '1';
const duration = quick ? 1 : Number(opt('duration', '10'));
const warmup = quick ? 0 : Number(opt('warmup', '2'));
const connectionCounts = opt('connections', '1,32,256').split(',').map(Number);
const engines = opt('engines', 'tfjs,onnx').split(',');
const rounds = quick ? 1 : Number(opt('rounds', '3'));
/** Rows the served model is trained on, and timed batches per inference measurement. */
const trainRows = quick ? 2000 : 20000;
const timedBatches = quick ? 2 : 10;
const inferenceThreads = Number(opt('inference-threads', String(Math.min(2, cpus().length))));
const python = opt('python', '/usr/bin/python3');
const torchScript = opt('torch-script', join(root, '..', 'shared', 'bench', 'torch_mmoe.py'));
const jsonOut = opt('json', undefined);
const bin = join(root, 'packages', 'cli', 'dist', 'bin.js');
for (const [name, value] of [
  ['duration', duration],
  ['warmup', warmup],
  ['rounds', rounds],
  ['inference-threads', inferenceThreads],
]) {
  if (!Number.isFinite(value) || value < (name === 'warmup' ? 0 : 1))
    fail(`--${name} ${value}: must be a number >= ${name === 'warmup' ? 0 : 1}`);
}
/** Stops with one clear line (no stack): what is missing and how to get it. */
const fail = (message) => {
  process.stderr.write(`bench:serve: ${message}\n`);
  process.exit(1);
};
if (!existsSync(bin)) fail(`${bin} is missing: run \`npm run build\` first`);
for (const name of ['connections', 'engines']) {
  const values = name === 'connections' ? connectionCounts : engines;
  if (values.some((v) => (name === 'connections' ? !Number.isInteger(v) || v < 1 : !['tfjs', 'onnx'].includes(v))))
    fail(`--${name} ${opt(name)}: must be ${name === 'connections' ? 'integers >= 1' : 'tfjs and/or onnx'}, comma-separated`);
}
if (quick && !args.includes('--inference-worker'))
  process.stderr.write('bench:serve: EKTM_QUICK=1, a smoke run (1 s per cell, 1 round); its numbers mean nothing\n');

/** The machine, as every number must name it. */
function machine() {
  let model = cpus()[0]?.model ?? 'unknown CPU';
  let flags = [];
  try {
    const lscpu = execFileSync('lscpu', { encoding: 'utf8' });
    model = /^Model name:\s*(.+)$/m.exec(lscpu)?.[1]?.trim() ?? model;
    flags = (/^Flags:\s*(.+)$/m.exec(lscpu)?.[1] ?? '').split(/\s+/);
  } catch {
    // lscpu is missing: the model from os.cpus() stays
  }
  const vector = flags.filter((f) => /^(sse4_2|avx|avx2|fma|avx512f|avx512bw|avx512vl|avx512_vnni|avx512_bf16|amx_tile|amx_bf16)$/.test(f));
  let uptime;
  try {
    uptime = execFileSync('uptime', { encoding: 'utf8' }).trim();
  } catch {
    uptime = `load average: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(', ')}`;
  }
  return { cpu: model, cores: cpus().length, vector, date: new Date().toISOString(), uptime, node: process.version };
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
const fmt = (n, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const say = (line) => process.stderr.write(`${line}\n`);

/** Spawns `ektm serve` on 127.0.0.1 and a free port; resolves once it listens. */
function startServer(modelDir, engine) {
  const child = spawn(process.execPath, [bin, 'serve', '--model', modelDir, '--engine', engine, '--port', '0'], {
    env: { ...process.env, EKTM_QUIET: '1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`ektm serve --engine ${engine} did not start in 120 s:\n${stderr}`)), 120_000);
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      const match = /serving model .*\((version \w+, .*)\) at (http:\/\/127\.0\.0\.1:\d+)\//.exec(stderr);
      if (match) {
        clearTimeout(timer);
        resolve({ child, runtime: match[1], url: match[2] });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`ektm serve exited with ${code}:\n${stderr}`));
    });
  });
}

async function stopServer(server) {
  const exited = new Promise((resolve) => server.child.on('exit', resolve));
  server.child.kill('SIGTERM');
  const code = await exited;
  if (code !== 0) throw new Error(`ektm serve exited with ${code} on SIGTERM`);
}

/** Single-row predict requests, cycling through the simulator's test rows (typed as the model describes its inputs). */
async function predictRequests(url, modelName) {
  const { simulate } = await import('@ektm/datasets');
  const described = await (await fetch(`${url}/v1/models/${modelName}`)).json();
  const numeric = new Set(described.inputs.filter((i) => i.type === 'number').map((i) => i.name));
  const sim = simulate({ seed: 1, trainRows: 10, validationRows: 10, testRows: 256 });
  return sim.splits.test.rows.map((row) => {
    const instance = Object.fromEntries(
      described.inputs.map(({ name }) => {
        const text = row[sim.columns.indexOf(name)];
        return [name, numeric.has(name) ? Number(text) : text];
      }),
    );
    return {
      method: 'POST',
      path: `/v1/models/${modelName}:predict`,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ instances: [instance] }),
    };
  });
}

function fire(url, requests, connections, seconds) {
  return autocannon({ url, connections, duration: seconds, requests, timeout: 30 });
}

async function loadTest() {
  const scratch = mkdtempSync(join(tmpdir(), 'ektm-bench-serve-'));
  try {
    const modelDir = join(scratch, 'ektm');
    say(`training the served model: ektm on the simulator (${fmt(trainRows)} rows, 1 epoch) ...`);
    execFileSync(
      process.execPath,
      [
        bin,
        'train',
        '--dataset',
        'synthetic',
        '--max-rows',
        String(trainRows),
        '--model',
        'ektm',
        '--epochs',
        '1',
        '--out',
        modelDir,
        '--quiet',
      ],
      {
        env: { ...process.env, EKTM_QUIET: '1' },
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    const rows = [];
    for (const engine of engines) {
      const server = await startServer(modelDir, engine);
      try {
        const requests = await predictRequests(server.url, 'ektm');
        for (const connections of connectionCounts) {
          if (warmup > 0) await fire(server.url, requests, connections, warmup);
          const loadBefore = load();
          const r = await fire(server.url, requests, connections, duration);
          const metrics = await (await fetch(`${server.url}/metrics`)).text();
          const row = {
            engine,
            runtime: server.runtime,
            connections,
            requestsPerSec: r.requests.average,
            p50Ms: r.latency.p50,
            p99Ms: r.latency.p99,
            requests: r.requests.total,
            errors: r.errors + r.timeouts + r.non2xx,
            loadBefore,
          };
          const sum = Number(/\nektm_serve_batch_rows_sum (\S+)/.exec(metrics)?.[1]);
          const count = Number(/\nektm_serve_batch_rows_count (\S+)/.exec(metrics)?.[1]);
          row.meanBatchRowsSinceStart = count > 0 ? sum / count : 0;
          rows.push(row);
          say(
            `${engine} × ${connections} connections: ${fmt(row.requestsPerSec)} req/s, p50 ${row.p50Ms} ms, p99 ${row.p99Ms} ms, ${row.errors} errors (load ${loadBefore})`,
          );
        }
      } finally {
        await stopServer(server);
      }
    }
    return rows;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Inference samples/s of the reference MMoE at batch 2048: onnxruntime on its ONNX export, and tfjs. */
async function ektmInference(threads) {
  const { initEngine } = await import('@ektm/core');
  const { buildReferenceModel, referenceTasks, REFERENCE_WORKLOAD, syntheticBatches } = await import('@ektm/cli');
  const { exportOnnx, onnxFeeds } = await import('@ektm/onnx');
  const ortModule = await import('onnxruntime-node');
  const ort = ortModule.InferenceSession ? ortModule : ortModule.default;
  const engine = await initEngine({ quiet: true, wasmThreads: threads });
  const model = buildReferenceModel('mmoe', 0);
  const exported = exportOnnx(model);
  const session = await ort.InferenceSession.create(exported.model, {
    executionProviders: ['cpu'],
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
  });
  const tables = syntheticBatches({
    count: 4,
    rows: REFERENCE_WORKLOAD.batchSize,
    fields: REFERENCE_WORKLOAD.fields,
    vocabularySize: REFERENCE_WORKLOAD.vocabularySize,
    tasks: referenceTasks('mmoe').map((t) => t.name),
  });
  const feeds = tables.map((t) =>
    Object.fromEntries(
      Object.entries(onnxFeeds(exported, t)).map(([name, data]) => [
        name,
        new ort.Tensor(data instanceof BigInt64Array ? 'int64' : 'float32', data, [t.rows]),
      ]),
    ),
  );
  const batch = tables[0].rows;
  const iterations = timedBatches;
  const time = async (fn) => {
    for (let i = 0; i < 2; i++) await fn(i);
    const started = performance.now();
    for (let i = 0; i < iterations; i++) await fn(i);
    return (batch * iterations) / ((performance.now() - started) / 1000);
  };
  const onnx = await time((i) => session.run(feeds[i % 4]));
  const tfjs = await time(async (i) => model.predict(tables[i % 4], { batchSize: batch }));
  await session.release();
  model.dispose();
  return {
    onnx,
    tfjs,
    tfjsBackend: `${engine.backend}${engine.wasmThreads ? ` with ${plural(engine.wasmThreads, 'thread')}` : ''}`,
    batch,
  };
}

/**
 * The OpenMP build of OpenBLAS for PyTorch (which itself runs on OpenMP), as ../shared/notes/engine.md prescribes:
 * Debian's alternatives may prefer the pthread build, whose threads then fight PyTorch's. Chosen for this process
 * only, through the library path; undefined where it is not installed.
 */
const OPENMP_BLAS = '/usr/lib/x86_64-linux-gnu/openblas-openmp';
const torchBlas = existsSync(join(OPENMP_BLAS, 'libblas.so.3')) ? OPENMP_BLAS : undefined;

function torchInference(threads) {
  const env = torchBlas
    ? { ...process.env, LD_LIBRARY_PATH: [torchBlas, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':') }
    : process.env;
  const text = execFileSync(python, [torchScript, '--steps', String(timedBatches), '--warmup', '2', '--threads', String(threads)], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
    env,
  });
  return JSON.parse(
    text
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .pop(),
  );
}

/** The inference comparison needs the reference script and PyTorch; says what is missing before anything runs. */
function checkTorch() {
  if (!existsSync(torchScript)) fail(`${torchScript} is missing: pass --torch-script <path to torch_mmoe.py>`);
  try {
    execFileSync(python, ['-c', 'import torch'], { stdio: 'ignore' });
  } catch {
    fail(
      `PyTorch is not importable by ${python}; install it with \`apt-get install python3-torch libopenblas0-openmp\` (Debian), pass --python, or run with --skip-inference`,
    );
  }
}

async function inferenceComparison() {
  const results = { onnx: [], torch: [], tfjs: [], loads: [] };
  let torchVersion = '';
  let tfjsBackend = '';
  for (let round = 0; round < rounds; round++) {
    results.loads.push(load());
    // Each side in its own process, one after the other, so that they share the machine's state.
    const ours = JSON.parse(
      execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--inference-worker', String(inferenceThreads)], {
        encoding: 'utf8',
        env: { ...process.env, EKTM_QUIET: '1' },
      }),
    );
    const torch = torchInference(inferenceThreads);
    results.onnx.push(ours.onnx);
    results.tfjs.push(ours.tfjs);
    results.torch.push(torch.inferSamplesPerSec);
    torchVersion = `${torch.torch}, ${plural(torch.threads, 'thread')}, BLAS ${torchBlas ? 'OpenBLAS (OpenMP)' : "the system's libblas"}`;
    tfjsBackend = ours.tfjsBackend;
    say(
      `round ${round + 1}/${rounds} (load ${results.loads.at(-1)}): onnxruntime ${fmt(ours.onnx)} samples/s, PyTorch ${fmt(torch.inferSamplesPerSec)}, tfjs ${fmt(ours.tfjs)}`,
    );
  }
  const onnx = median(results.onnx);
  const torch = median(results.torch);
  const tfjs = median(results.tfjs);
  return {
    threads: inferenceThreads,
    rounds,
    torchVersion,
    tfjsBackend,
    onnx,
    torch,
    tfjs,
    onnxToTorch: onnx / torch,
    tfjsToTorch: tfjs / torch,
    perRound: results,
  };
}

if (flag('inference-worker')) {
  const threads = Number(args[args.indexOf('--inference-worker') + 1]);
  // A ref'd timer while it runs: the wasm backend's pthread workers are unref'd, and a wait on them alone would let Node
  // end the process early (exit 13, no output).
  const keepAlive = setInterval(() => undefined, 2 ** 30);
  process.stdout.write(`${JSON.stringify(await ektmInference(threads))}\n`);
  clearInterval(keepAlive);
  process.exit(0);
}

/** The load test's results as markdown. */
function loadTable(rows) {
  const lines = [
    '',
    `Load test: single-row POST /v1/models/ektm:predict, autocannon ${duration} s per cell after ${warmup} s of warm-up, client and server on this machine`,
    '',
    '| engine | connections | requests/s | p50 ms | p99 ms | errors | load before |',
    '|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) => `| ${r.engine} | ${r.connections} | ${fmt(r.requestsPerSec)} | ${r.p50Ms} | ${r.p99Ms} | ${r.errors} | ${r.loadBefore} |`,
    ),
    '',
    ...engines.map((engine) => `${engine}: ${rows.find((r) => r.engine === engine)?.runtime ?? ''}`),
  ];
  return `${lines.join('\n')}\n`;
}

/** The inference comparison as markdown. */
function inferenceTable(inference) {
  const lines = [
    '',
    `Inference, reference MMoE, batch 2048, ${plural(inference.threads, 'thread')} each, median of ${inference.rounds} alternating rounds (PyTorch ${inference.torchVersion}; tfjs on ${inference.tfjsBackend}):`,
    '',
    '| engine | samples/s | ratio to PyTorch |',
    '|---|---|---|',
    `| onnxruntime (ektm's ONNX export) | ${fmt(inference.onnx)} | ${inference.onnxToTorch.toFixed(2)} |`,
    `| PyTorch (torch_mmoe.py) | ${fmt(inference.torch)} | 1.00 |`,
    `| tfjs (${inference.tfjsBackend}) | ${fmt(inference.tfjs)} | ${inference.tfjsToTorch.toFixed(2)} |`,
  ];
  return `${lines.join('\n')}\n`;
}

if (!flag('skip-inference')) checkTorch();
const info = machine();
say(`machine: ${info.cpu}, ${info.cores} cores, vector extensions ${info.vector.join(' ') || 'none listed'}; ${info.date}; ${info.uptime}`);
// Each part is printed as soon as it is measured.
process.stdout.write(
  `Machine: ${info.cpu}, ${info.cores} cores (vector extensions: ${info.vector.join(', ') || 'none listed'}); Node ${info.node}; ${info.date}\nuptime at the start: ${info.uptime}\n`,
);
const loadRows = flag('skip-load') ? [] : await loadTest();
if (loadRows.length) process.stdout.write(loadTable(loadRows));
const inference = flag('skip-inference') ? undefined : await inferenceComparison();
if (inference) process.stdout.write(inferenceTable(inference));
const end = machine().uptime;
process.stdout.write(`\nuptime at the end: ${end}\n`);
if (jsonOut) {
  mkdirSync(dirname(jsonOut), { recursive: true });
  writeFileSync(jsonOut, `${JSON.stringify({ machine: info, uptimeAtEnd: end, loadTest: loadRows, inference }, null, 2)}\n`);
  say(`wrote ${jsonOut}`);
}
