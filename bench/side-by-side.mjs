#!/usr/bin/env node
// Runs the tfjs benchmark (bench/dist/cli.mjs, built first) and the PyTorch reference (torch_mmoe.py) one
// after the other for several rounds on the same machine, and prints the medians, the ratios tfjs / PyTorch and a
// markdown table. Alternating rounds share whatever else the machine is doing; the load average of each round is
// printed because a loaded 2-core machine hurts PyTorch's two OpenMP threads far more than one wasm thread.
//
//   node bench/side-by-side.mjs [--rounds 3] [--steps 20] [--model mmoe|ektm] [--threads 1] [--torch-threads 2]
//                               [--baseline] [--python /usr/bin/python3] [--torch-script /work/shared/bench/torch_mmoe.py]
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const rounds = Number(opt('rounds', '3'));
const steps = opt('steps', '20');
const model = opt('model', 'mmoe');
const threads = opt('threads', '1');
const torchThreads = opt('torch-threads', '2');
const python = opt('python', '/usr/bin/python3');
const baseline = args.includes('--baseline');
const torchScript = opt('torch-script', `${root}../shared/bench/torch_mmoe.py`);

execFileSync(process.execPath, [`${root}bench/build.mjs`], { stdio: 'inherit' });

const lastJsonLine = (text) => JSON.parse(text.trim().split('\n').filter((l) => l.startsWith('{')).pop());
const run = (file, argv, env = {}) =>
  lastJsonLine(execFileSync(file, argv, { encoding: 'utf8', env: { ...process.env, EKTM_QUIET: '1', ...env }, maxBuffer: 1 << 24 }));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const tfjs = [];
const torch = [];
for (let r = 0; r < rounds; r++) {
  const loadBefore = loadavg()[0];
  const t = run(process.execPath, [`${root}bench/dist/cli.mjs`, '--model', model, '--steps', steps, '--threads', threads, ...(baseline ? ['--baseline'] : [])]);
  const p = run(python, [torchScript, '--steps', steps, '--threads', torchThreads]);
  tfjs.push(t);
  torch.push(p);
  const line = `round ${r + 1}/${rounds} (load ${loadBefore.toFixed(1)}): tfjs ${t.backend}×${t.threads} train ${t.trainSamplesPerSec}/s infer ${t.inferSamplesPerSec}/s | ` +
    `torch ${p.torch}×${p.threads} train ${p.trainSamplesPerSec}/s infer ${p.inferSamplesPerSec}/s | ratio train ${(t.trainSamplesPerSec / p.trainSamplesPerSec).toFixed(3)} infer ${(t.inferSamplesPerSec / p.inferSamplesPerSec).toFixed(3)}`;
  process.stderr.write(`${line}\n`);
}

const m = (list, key) => median(list.map((x) => x[key]));
const ratio = (key) => median(tfjs.map((t, i) => t[key] / torch[i][key]));
const summary = {
  model,
  baseline,
  rounds,
  steps: Number(steps),
  tfjs: { backend: tfjs[0].backend, threads: tfjs[0].threads, mmoeBlock: tfjs[0].mmoeBlock, trainSamplesPerSec: m(tfjs, 'trainSamplesPerSec'), inferSamplesPerSec: m(tfjs, 'inferSamplesPerSec'), msPerStep: m(tfjs, 'msPerStep'), peakRssMB: m(tfjs, 'peakRssMB') },
  torch: { version: torch[0].torch, threads: torch[0].threads, trainSamplesPerSec: m(torch, 'trainSamplesPerSec'), inferSamplesPerSec: m(torch, 'inferSamplesPerSec'), msPerStep: m(torch, 'medianStepMs'), peakRssMB: m(torch, 'peakRssMB') },
  ratioTrain: Number(ratio('trainSamplesPerSec').toFixed(3)),
  ratioInfer: Number(ratio('inferSamplesPerSec').toFixed(3)),
};
const fmt = (n) => Math.round(n).toLocaleString('en-US');
console.log(JSON.stringify(summary));
console.log(`
| engine (${model}, batch 2048, median of ${rounds} alternating rounds) | train samples/s | inference samples/s | ms/step | peak RSS MB |
|---|---|---|---|---|
| tfjs ${summary.tfjs.backend}, ${summary.tfjs.threads} thread(s)${baseline ? ', before issue 7' : ''} | ${fmt(summary.tfjs.trainSamplesPerSec)} | ${fmt(summary.tfjs.inferSamplesPerSec)} | ${summary.tfjs.msPerStep} | ${summary.tfjs.peakRssMB} |
| PyTorch ${summary.torch.version}, ${summary.torch.threads} threads | ${fmt(summary.torch.trainSamplesPerSec)} | ${fmt(summary.torch.inferSamplesPerSec)} | ${summary.torch.msPerStep} | ${summary.torch.peakRssMB} |
| ratio tfjs / PyTorch (median of per-round ratios) | ${summary.ratioTrain} | ${summary.ratioInfer} | | |
`);
