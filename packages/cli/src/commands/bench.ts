import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { parseWasmThreads, WASM_THREADS_ENV } from '@ektm/core';
import type { Command } from '../cli/command.js';
import { printHelp } from '../cli/format-help.js';
import { parseCommand } from '../cli/parse-command.js';
import { choiceOption, intOption } from '../cli/option-values.js';
import { BENCH_MODELS, REFERENCE_WORKLOAD } from '../bench/reference-model.js';
import { runBench } from '../bench/run-bench.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { checkOutputFile } from '../util/output-paths.js';
import { QUICK_LIMITS, quickCap, quickMode } from '../util/quick-mode.js';

/** Most XNNPACK threads `ektm bench` uses by default (the throughput measurements behind issue 7 used 2). */
export const BENCH_MAX_DEFAULT_THREADS = 2;

/** The default `--threads` of `ektm bench`: the machine's cores, at most {@link BENCH_MAX_DEFAULT_THREADS}. */
export function defaultBenchThreads(): number {
  return Math.max(1, Math.min(availableParallelism(), BENCH_MAX_DEFAULT_THREADS));
}

/** `ektm bench`: training and inference throughput of the reference model on this machine's backend. */
export const benchCommand: Command = {
  spec: {
    name: 'bench',
    summary: 'measure training and inference throughput of the reference model',
    usage: 'bench [--model mmoe|ektm] [--steps N] [--warmup N] [--batch N] [--threads N] [--json out.json]',
    options: [
      { name: 'model', type: 'string', valueName: '<name>', description: 'reference model', choices: BENCH_MODELS, defaultText: 'mmoe' },
      {
        name: 'steps',
        type: 'string',
        valueName: '<n>',
        description: 'timed training steps (inference: max(10, n) batches)',
        defaultText: '20',
      },
      { name: 'warmup', type: 'string', valueName: '<n>', description: 'untimed training steps first', defaultText: '3' },
      { name: 'batch', type: 'string', valueName: '<n>', description: 'rows per step', defaultText: String(REFERENCE_WORKLOAD.batchSize) },
      {
        name: 'threads',
        type: 'string',
        valueName: '<n>',
        description: 'XNNPACK threads of the wasm backend (1: no worker threads)',
        defaultText: `${WASM_THREADS_ENV} when set, else the cores, at most ${BENCH_MAX_DEFAULT_THREADS}`,
      },
      {
        name: 'json',
        type: 'string',
        valueName: '<file>',
        description: 'also write {"backend","model","trainSamplesPerSec","inferSamplesPerSec","msPerStep","peakRssMB",...} to a file',
      },
      { name: 'quiet', short: 'q', type: 'boolean', description: 'no progress on stderr' },
    ],
    details: [
      'Reference model (the same as ../shared/bench/torch_mmoe.py): 20 categorical fields × vocabulary 10,000 × dim 8; ' +
        "@ektm/baselines' MMoE with 4 experts [256,128] and a softmax gate per task; 2 towers [64]; sigmoid; BCE; " +
        'Adam 1e-3; batch 2048; synthetic batches. `--model ektm` is the same MMoE backbone with the EKTM router, ' +
        'transmitters and enhancers on 1 source + 3 target tasks.',
      'Throughput is wall-clock: run it on an otherwise idle machine (check the load average first). ' +
        '`npm run bench:torch` alternates it with the PyTorch reference and prints the ratios.',
    ],
    examples: ['bench', 'bench --threads 1 --json out/bench-1-thread.json', 'bench --model ektm --steps 10 --json out/bench-ektm.json'],
  },
  async run(argv, io) {
    const args = parseCommand(this.spec, argv);
    if (args.help) return printHelp(this.spec, io);
    const v = args.values;
    const name = this.spec.name;
    const model = choiceOption(name, 'model', v.model, BENCH_MODELS) ?? 'mmoe';
    const quick = quickMode(io, name);
    const steps = quickCap(quick, intOption(name, 'steps', v.steps, { min: 1 }) ?? 20, QUICK_LIMITS.benchSteps)!;
    const warmup = quick ? 0 : (intOption(name, 'warmup', v.warmup, { min: 0 }) ?? 3);
    const batchSize = intOption(name, 'batch', v.batch, { min: 1 }) ?? REFERENCE_WORKLOAD.batchSize;
    const threadsFlag = intOption(name, 'threads', v.threads, { min: 1, max: 64 });
    const jsonPath = typeof v.json === 'string' ? resolve(io.cwd, v.json) : undefined;
    if (jsonPath) checkOutputFile(jsonPath, 'json');
    // An explicit flag wins; else EKTM_WASM_THREADS; else the default.
    const threads = threadsFlag ?? parseWasmThreads(io.env[WASM_THREADS_ENV]) ?? defaultBenchThreads();
    const result = await runBench({
      model,
      steps,
      warmup,
      batchSize,
      threads,
      log: v.quiet ? undefined : (line) => io.stderr.write(`${line}\n`),
    });
    const lines = [
      `model               ${result.model} (${result.parameters} parameters, batch ${result.batchSize})`,
      `backend             ${result.backend}${result.threads > 1 ? ` (${result.threads} threads)` : ''}`,
      `trainSamplesPerSec  ${result.trainSamplesPerSec}`,
      `inferSamplesPerSec  ${result.inferSamplesPerSec}`,
      `msPerStep           ${result.msPerStep}`,
      `peakRssMB           ${result.peakRssMB}`,
    ];
    io.stdout.write(`${lines.join('\n')}\n`);
    if (jsonPath) {
      writeFileAtomic(jsonPath, `${JSON.stringify(result, null, 2)}\n`);
      io.stderr.write(`wrote ${jsonPath}\n`);
    }
    return 0;
  },
};
