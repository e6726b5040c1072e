#!/usr/bin/env node
// Runs `ektm bench` (packages/cli/bin/ektm.js) and the PyTorch reference of the same model
// (bench/torch_models.py) one after the other for several rounds on the same machine, and prints the medians, the
// ratios tfjs / PyTorch and a markdown table naming the machine: CPU model and vector extensions, thread counts,
// date, and the load average around every run. Alternating rounds share whatever else the machine is doing, so
// load affects both engines alike; still, a loaded 2-core machine hurts PyTorch's two OpenMP threads far more than
// tfjs, so measure on an idle machine.
//
//   npm run bench:torch -- [--model mmoe|ple|aitm|ektm] [--tasks 2] [--rounds 3] [--steps 20] [--warmup 3] [--threads N]
//                          [--torch-threads 2] [--python /usr/bin/python3] [--torch-script bench/torch_models.py] [--json out.json]
//
// `--threads` is passed to `ektm bench` (default: its own, the cores up to 2). The packages are built first when they
// are not. EKTM_QUICK=1 makes it a smoke run (one round of 2 steps, no warm-up).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const quick = process.env.EKTM_QUICK === '1';
const rounds = quick ? 1 : Number(opt('rounds', '3'));
const steps = quick ? '2' : opt('steps', '20');
const warmup = quick ? '0' : opt('warmup', '3');
const model = opt('model', 'mmoe');
const tasks = opt('tasks', '2');
const threads = opt('threads', undefined);
const torchThreads = opt('torch-threads', '2');
const python = opt('python', '/usr/bin/python3');
const torchScript = opt('torch-script', join(root, 'bench', 'torch_models.py'));
const TORCH_MODELS = ['mmoe', 'ple', 'aitm', 'ektm'];
const jsonOut = opt('json', undefined);
// The ektm executable (it builds the packages on first use in a fresh clone).
const bin = join(root, 'packages', 'cli', 'bin', 'ektm.js');
/** Stops with one clear line (no stack): what is missing and how to get it. */
const fail = (message) => {
  process.stderr.write(`bench:torch: ${message}\n`);
  process.exit(1);
};
if (quick) process.stderr.write('bench:torch: EKTM_QUICK=1, a smoke run (1 round of 2 steps); its numbers mean nothing\n');
if (!Number.isInteger(rounds) || rounds < 1) fail(`--rounds ${rounds}: must be an integer >= 1`);
if (!TORCH_MODELS.includes(model)) fail(`--model ${model}: the PyTorch references are ${TORCH_MODELS.join(', ')}`);
if (!existsSync(torchScript)) fail(`${torchScript} is missing: pass --torch-script <path to torch_models.py>`);
try {
  execFileSync(python, ['-c', 'import torch'], { stdio: 'ignore' });
} catch {
  fail(
    `PyTorch is not importable by ${python}; install it with \`apt-get install python3-torch libopenblas0-openmp\` (Debian) or pass --python`,
  );
}

const scratch = mkdtempSync(join(tmpdir(), 'ektm-side-by-side-'));
const ektmBench = (round) => {
  const out = join(scratch, `bench-${round}.json`);
  const argv = [
    bin,
    'bench',
    '--quiet',
    '--model',
    model,
    // The reference is PyTorch's same model: no in-process MMoE baseline run.
    '--baseline',
    'none',
    '--tasks',
    tasks,
    '--steps',
    steps,
    '--warmup',
    warmup,
    '--json',
    out,
    ...(threads ? ['--threads', threads] : []),
  ];
  // stderr is captured (only its "wrote <file>" line on success); a failure throws with it in the message.
  const stderr = execFileSync(process.execPath, argv, {
    encoding: 'utf8',
    env: { ...process.env, EKTM_QUIET: '1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  if (!existsSync(out)) fail(`ektm bench ended with exit 0 but wrote no ${out}; its stderr:\n${stderr}`);
  return JSON.parse(readFileSync(out, 'utf8'));
};
const torchBench = () => {
  const text = execFileSync(
    python,
    [torchScript, '--model', model, '--tasks', tasks, '--steps', steps, '--warmup', warmup, '--threads', torchThreads],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 24,
    },
  );
  return JSON.parse(
    text
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .pop(),
  );
};
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** CPU model and vector extensions, as lscpu reads them from /proc/cpuinfo. */
const cpuOf = () => {
  try {
    const text = readFileSync('/proc/cpuinfo', 'utf8');
    const name = /^model name\s*:\s*(.+)$/m.exec(text)?.[1]?.trim() ?? cpus()[0]?.model ?? 'unknown CPU';
    const flags = (/^flags\s*:\s*(.+)$/m.exec(text)?.[1] ?? '').split(/\s+/);
    const vectors = ['avx512f', 'avx512_vnni', 'avx512_bf16', 'amx_tile', 'avx2', 'fma'].filter((f) => flags.includes(f));
    return { name, vectors };
  } catch {
    return { name: cpus()[0]?.model ?? 'unknown CPU', vectors: [] };
  }
};
const cpu = cpuOf();
const started = new Date();

const tfjs = [];
const torch = [];
const loads = [];
try {
  for (let r = 0; r < rounds; r++) {
    const before = loadavg()[0];
    const t = ektmBench(r);
    const between = loadavg()[0];
    const p = torchBench();
    const after = loadavg()[0];
    tfjs.push(t);
    torch.push(p);
    const load = Math.max(before, between, after);
    loads.push(load);
    process.stderr.write(
      `round ${r + 1}/${rounds} (load ${before.toFixed(2)} / ${between.toFixed(2)} / ${after.toFixed(2)}): tfjs ${t.backend}×${t.threads} train ${t.trainSamplesPerSec}/s infer ${t.inferSamplesPerSec}/s | ` +
        `torch ${p.torch}×${p.threads} train ${p.trainSamplesPerSec}/s infer ${p.inferSamplesPerSec}/s | ` +
        `ratio train ${(t.trainSamplesPerSec / p.trainSamplesPerSec).toFixed(3)} infer ${(t.inferSamplesPerSec / p.inferSamplesPerSec).toFixed(3)} | ` +
        `per CPU-second: train ${(t.trainSamplesPerCpuSec / p.trainSamplesPerCpuSec).toFixed(3)} infer ${(t.inferSamplesPerCpuSec / p.inferSamplesPerCpuSec).toFixed(3)}\n`,
    );
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

const m = (list, key) => median(list.map((x) => x[key]));
const ratio = (key) => median(tfjs.map((t, i) => t[key] / torch[i][key]));
const summary = {
  model,
  tasks: Number(tasks),
  cpu: cpu.name,
  vectorExtensions: cpu.vectors,
  cores: cpus().length,
  date: started.toISOString(),
  rounds,
  steps: Number(steps),
  // The highest 1-minute load average seen around each round (before tfjs, between, after PyTorch).
  loadAverages: loads.map((l) => Number(l.toFixed(2))),
  tfjs: {
    backend: tfjs[0].backend,
    threads: tfjs[0].threads,
    trainSamplesPerSec: m(tfjs, 'trainSamplesPerSec'),
    inferSamplesPerSec: m(tfjs, 'inferSamplesPerSec'),
    msPerStep: m(tfjs, 'msPerStep'),
    peakRssMB: m(tfjs, 'peakRssMB'),
  },
  torch: {
    version: torch[0].torch,
    threads: torch[0].threads,
    trainSamplesPerSec: m(torch, 'trainSamplesPerSec'),
    inferSamplesPerSec: m(torch, 'inferSamplesPerSec'),
    msPerStep: m(torch, 'medianStepMs'),
    peakRssMB: m(torch, 'peakRssMB'),
  },
  ratioTrain: Number(ratio('trainSamplesPerSec').toFixed(3)),
  ratioInfer: Number(ratio('inferSamplesPerSec').toFixed(3)),
  // Rows per CPU-second of each process: with one thread each, a per-core ratio that load disturbs less.
  ratioTrainPerCpuSec: Number(ratio('trainSamplesPerCpuSec').toFixed(3)),
  ratioInferPerCpuSec: Number(ratio('inferSamplesPerCpuSec').toFixed(3)),
  perRound: tfjs.map((t, i) => ({
    train: Number((t.trainSamplesPerSec / torch[i].trainSamplesPerSec).toFixed(3)),
    infer: Number((t.inferSamplesPerSec / torch[i].inferSamplesPerSec).toFixed(3)),
  })),
};
const fmt = (n) => Math.round(n).toLocaleString('en-US');
console.log(JSON.stringify(summary));
if (jsonOut) writeFileSync(jsonOut, `${JSON.stringify(summary, null, 2)}\n`);
console.log(`
${cpu.name} (${cpu.vectors.join(', ') || 'no AVX'}), ${summary.cores} cores, ${started.toISOString().slice(0, 10)}, load average ${Math.min(...loads).toFixed(2)}–${Math.max(...loads).toFixed(2)} during the rounds

| engine (${model}, ${tasks} tasks, batch 2048, median of ${rounds} alternating rounds) | train samples/s | inference samples/s | ms/step | peak RSS MB |
|---|---|---|---|---|
| tfjs ${summary.tfjs.backend}, ${summary.tfjs.threads} thread(s) | ${fmt(summary.tfjs.trainSamplesPerSec)} | ${fmt(summary.tfjs.inferSamplesPerSec)} | ${summary.tfjs.msPerStep} | ${summary.tfjs.peakRssMB} |
| PyTorch ${summary.torch.version}, ${summary.torch.threads} threads | ${fmt(summary.torch.trainSamplesPerSec)} | ${fmt(summary.torch.inferSamplesPerSec)} | ${summary.torch.msPerStep} | ${summary.torch.peakRssMB} |
| ratio tfjs / PyTorch (median of per-round ratios) | ${summary.ratioTrain} | ${summary.ratioInfer} | | |
| ratio per CPU-second (median of per-round ratios) | ${summary.ratioTrainPerCpuSec} | ${summary.ratioInferPerCpuSec} | | |
`);
