#!/usr/bin/env node
// Runs `ektm bench` (the built CLI, packages/cli/dist/bin.js) and the PyTorch reference (torch_mmoe.py) one after
// the other for several rounds on the same machine, and prints the medians, the ratios tfjs / PyTorch and a
// markdown table. Alternating rounds share whatever else the machine is doing; the load average before each round
// is printed because a loaded 2-core machine hurts PyTorch's two OpenMP threads far more than tfjs.
//
//   npm run bench:torch -- [--rounds 3] [--steps 20] [--warmup 3] [--model mmoe|ektm] [--threads N] [--torch-threads 2]
//                          [--python /usr/bin/python3] [--torch-script ../shared/bench/torch_mmoe.py] [--json out.json]
//
// `--threads` is passed to `ektm bench` (default: its own, the cores up to 2). The packages are built first when they
// are not. EKTM_QUICK=1 makes it a smoke run (one round of 2 steps, no warm-up).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
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
const threads = opt('threads', undefined);
const torchThreads = opt('torch-threads', '2');
const python = opt('python', '/usr/bin/python3');
const torchScript = opt('torch-script', join(root, '..', 'shared', 'bench', 'torch_mmoe.py'));
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
if (!existsSync(torchScript)) fail(`${torchScript} is missing: pass --torch-script <path to torch_mmoe.py>`);
try {
  execFileSync(python, ['-c', 'import torch'], { stdio: 'ignore' });
} catch {
  fail(
    `PyTorch is not importable by ${python}; install it with \`apt-get install python3-torch libopenblas0-openmp\` (Debian) or pass --python`,
  );
}
if (model !== 'mmoe') process.stderr.write(`note: PyTorch runs the reference MMoE; --model ${model} compares against it\n`);

const scratch = mkdtempSync(join(tmpdir(), 'ektm-side-by-side-'));
const ektmBench = (round) => {
  const out = join(scratch, `bench-${round}.json`);
  const argv = [
    bin,
    'bench',
    '--quiet',
    '--model',
    model,
    '--steps',
    steps,
    '--warmup',
    warmup,
    '--json',
    out,
    ...(threads ? ['--threads', threads] : []),
  ];
  // stderr is captured (only its "wrote <file>" line on success); a failure throws with it in the message.
  execFileSync(process.execPath, argv, { encoding: 'utf8', env: { ...process.env, EKTM_QUIET: '1' }, stdio: ['ignore', 'ignore', 'pipe'] });
  return JSON.parse(readFileSync(out, 'utf8'));
};
const torchBench = () => {
  const text = execFileSync(python, [torchScript, '--steps', steps, '--warmup', warmup, '--threads', torchThreads], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
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

const tfjs = [];
const torch = [];
const loads = [];
try {
  for (let r = 0; r < rounds; r++) {
    const load = loadavg()[0];
    const t = ektmBench(r);
    const p = torchBench();
    tfjs.push(t);
    torch.push(p);
    loads.push(load);
    process.stderr.write(
      `round ${r + 1}/${rounds} (load ${load.toFixed(2)}): tfjs ${t.backend}×${t.threads} train ${t.trainSamplesPerSec}/s infer ${t.inferSamplesPerSec}/s | ` +
        `torch ${p.torch}×${p.threads} train ${p.trainSamplesPerSec}/s infer ${p.inferSamplesPerSec}/s | ` +
        `ratio train ${(t.trainSamplesPerSec / p.trainSamplesPerSec).toFixed(3)} infer ${(t.inferSamplesPerSec / p.inferSamplesPerSec).toFixed(3)}\n`,
    );
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

const m = (list, key) => median(list.map((x) => x[key]));
const ratio = (key) => median(tfjs.map((t, i) => t[key] / torch[i][key]));
const summary = {
  model,
  rounds,
  steps: Number(steps),
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
  perRound: tfjs.map((t, i) => ({
    train: Number((t.trainSamplesPerSec / torch[i].trainSamplesPerSec).toFixed(3)),
    infer: Number((t.inferSamplesPerSec / torch[i].inferSamplesPerSec).toFixed(3)),
  })),
};
const fmt = (n) => Math.round(n).toLocaleString('en-US');
console.log(JSON.stringify(summary));
if (jsonOut) writeFileSync(jsonOut, `${JSON.stringify(summary, null, 2)}\n`);
console.log(`
| engine (${model}, batch 2048, median of ${rounds} alternating rounds) | train samples/s | inference samples/s | ms/step | peak RSS MB |
|---|---|---|---|---|
| tfjs ${summary.tfjs.backend}, ${summary.tfjs.threads} thread(s) | ${fmt(summary.tfjs.trainSamplesPerSec)} | ${fmt(summary.tfjs.inferSamplesPerSec)} | ${summary.tfjs.msPerStep} | ${summary.tfjs.peakRssMB} |
| PyTorch ${summary.torch.version}, ${summary.torch.threads} threads | ${fmt(summary.torch.trainSamplesPerSec)} | ${fmt(summary.torch.inferSamplesPerSec)} | ${summary.torch.msPerStep} | ${summary.torch.peakRssMB} |
| ratio tfjs / PyTorch (median of per-round ratios) | ${summary.ratioTrain} | ${summary.ratioInfer} | | |
`);
