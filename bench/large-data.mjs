#!/usr/bin/env node
// Data at scale: one epoch of MMoE on a large simulated Parquet set streamed from disk against the same rows in
// memory (samples/s and peak RSS of each, every measurement in its own process), and the encoder's rows/s alone.
// Writes the set first with `ektm datasets simulate` (kept when it is already complete), prints the machine (CPU
// model, vector extensions, load before each measurement), a markdown table, and writes JSON.
//
//   npm run bench:data -- [--rows 10000000] [--shards 8] [--dir out/bench-data] [--rounds 1]
//                         [--memory-rows N] [--json out/bench-data/result.json]
//
// --memory-rows N trains the in-memory run on the first N rows of each file instead of all of them (the largest size
// that fits on a smaller machine); the streamed run is then measured on the same rows too, and the table says so.
// Build first: `npm run build`.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const rows = Number(opt('rows', '10000000'));
const shards = Number(opt('shards', '8'));
const rounds = Number(opt('rounds', '1'));
const dir = join(root, opt('dir', 'out/bench-data'));
const memoryRows = opt('memory-rows', undefined);
const jsonOut = join(root, opt('json', 'out/bench-data/result.json'));
const bin = join(root, 'packages', 'cli', 'dist', 'bin.js');
if (!existsSync(bin)) throw new Error(`${bin} is missing: run \`npm run build\` first`);
for (const [name, value] of [
  ['rows', rows],
  ['shards', shards],
  ['rounds', rounds],
]) {
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} ${value}: must be an integer >= 1`);
}

const say = (line) => process.stderr.write(`${line}\n`);
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(', ');
const uptime = () => execFileSync('uptime', { encoding: 'utf8' }).trim();
const lscpu = execFileSync('lscpu', { encoding: 'utf8' });
const field = (name) => new RegExp(`^${name}:\\s*(.*)$`, 'm').exec(lscpu)?.[1]?.trim() ?? 'unknown';
const flags = field('Flags').split(/\s+/);
const vector = ['sse4_2', 'avx', 'avx2', 'fma', 'avx512f', 'avx512bw', 'avx512vl', 'avx512_vnni', 'amx_tile'].filter((f) =>
  flags.includes(f),
);
const machine = {
  date: new Date().toISOString(),
  cpu: field('Model name'),
  cores: cpus().length,
  vectorExtensions: vector,
  memoryGB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  uptimeBefore: uptime(),
};
say(
  `${machine.date}; CPU ${machine.cpu} (${machine.cores} logical cores; ${vector.join(' ')}); ${machine.memoryGB} GiB; node ${machine.node}`,
);
say(`uptime: ${machine.uptimeBefore}`);

// 1. The data: `ektm datasets simulate` (a rerun keeps what is already written).
const spec = join(dir, 'spec.json');
let start = performance.now();
say(`writing ${rows} simulated train rows in ${shards} Parquet shards to ${dir} (kept if already there)`);
execFileSync(
  process.execPath,
  [bin, 'datasets', 'simulate', '--out', dir, '--format', 'parquet', '--train-rows', String(rows), '--shards', String(shards)],
  {
    stdio: ['ignore', 'ignore', 'inherit'],
  },
);
const simulateSeconds = (performance.now() - start) / 1000;

// 2. The measurements, each in its own process (peak RSS is then its own), alternating memory and stream per round.
const measure = (...argv) => {
  const before = load();
  say(`  load ${before}: ${argv.slice(0, 3).join(' ')}`);
  const out = execFileSync(process.execPath, [join(root, 'bench', 'large-data-run.mjs'), ...argv], {
    encoding: 'utf8',
    env: { ...process.env, EKTM_QUIET: '1' },
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 20,
  });
  const result = JSON.parse(out.trim().split('\n').pop());
  say(`    ${JSON.stringify(result)}`);
  return { ...result, loadBefore: before };
};
const limit = memoryRows ? ['--max-rows', String(Math.ceil(Number(memoryRows) / shards))] : [];
const encoder = measure('encoder', spec);
const runs = [];
for (let round = 0; round < rounds; round++) {
  for (const mode of round % 2 === 0 ? ['memory', 'stream'] : ['stream', 'memory']) runs.push(measure('train', spec, mode, ...limit));
}

// 3. The table.
const median = (values) => {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const of = (mode) => runs.filter((r) => r.mode === mode);
const summary = Object.fromEntries(
  ['memory', 'stream'].map((mode) => [
    mode,
    {
      rows: of(mode)[0].rows,
      samplesPerSec: median(of(mode).map((r) => r.samplesPerSec)),
      peakRssMB: Math.max(...of(mode).map((r) => r.peakRssMB)),
      prepareSeconds: median(of(mode).map((r) => r.prepareSeconds)),
    },
  ]),
);
const ratio = summary.stream.samplesPerSec / summary.memory.samplesPerSec;
const n = (x) => Math.round(x).toLocaleString('en-US');
const trained =
  summary.memory.rows === rows ? `all ${n(rows)} train rows` : `the first ${n(summary.memory.rows)} train rows (--memory-rows)`;
const table = [
  `One epoch of MMoE (\`ektm train --model mmoe\` defaults: batch ${runs[0].batchSize}, embedding dim 8; ${runs[0].backend} backend, ${runs[0].wasmThreads} thread; DuckDB 1 thread) on ${trained} of a ${n(rows)}-row simulated Parquet set in ${shards} shards, ${rounds} round(s), median.`,
  `${machine.cpu}, ${machine.cores} logical cores (${vector.join(', ')}), ${machine.date.slice(0, 10)}; load average before each run: ${runs.map((r) => r.loadBefore.split(', ')[0]).join(' / ')}.`,
  '',
  '| rows held | train samples/s (wall clock, reading included) | peak RSS | before the epoch |',
  '|---|---|---|---|',
  `| in memory (loaded first) | ${n(summary.memory.samplesPerSec)} | ${n(summary.memory.peakRssMB)} MB | load ${summary.memory.prepareSeconds.toFixed(0)} s |`,
  `| streamed from disk | ${n(summary.stream.samplesPerSec)} (**${(100 * ratio).toFixed(0)}%**) | ${n(summary.stream.peakRssMB)} MB | fit the preprocessing ${summary.stream.prepareSeconds.toFixed(0)} s |`,
  '',
  `Encoder alone (DuckDB read, decode, encode, shuffle buffer): ${n(encoder.encoderRowsPerSec)} rows/s; the one-pass preprocessing fit: ${n(encoder.fitRowsPerSec)} rows/s.`,
].join('\n');
process.stdout.write(`${table}\n`);
mkdirSync(dirname(jsonOut), { recursive: true });
writeFileSync(
  jsonOut,
  `${JSON.stringify({ machine, rows, shards, rounds, simulateSeconds, encoder, runs, summary, ratio, uptimeAfter: uptime() }, null, 2)}\n`,
);
say(`wrote ${jsonOut}`);
