import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { ConfigError, parseWasmThreads, WASM_THREADS_ENV } from '@ektm/core';
import type { Command } from '../cli/command.js';
import { printHelp } from '../cli/format-help.js';
import { parseCommand } from '../cli/parse-command.js';
import { choiceOption, intOption } from '../cli/option-values.js';
import { describeMachine } from '../bench/machine-info.js';
import { BENCH_MODELS, MAX_BENCH_TASKS, REFERENCE_WORKLOAD, type BenchModelSpec } from '../bench/reference-model.js';
import { runBench, type BenchResult } from '../bench/run-bench.js';
import { STEP_PART_DESCRIPTIONS, STEP_PARTS } from '../bench/step-profile.js';
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
    summary: 'measure training and inference throughput of any model of the zoo, and where a training step goes',
    usage:
      'bench [--model <name> | --config model.json] [--tasks N] [--profile] [--steps N] [--warmup N] [--batch N] [--threads N] [--json out.json]',
    options: [
      {
        name: 'model',
        type: 'string',
        valueName: '<name>',
        description: "model of the zoo, with the bench sizes (the reference MMoE's experts and towers)",
        choices: BENCH_MODELS,
        defaultText: 'mmoe',
      },
      {
        name: 'config',
        type: 'string',
        valueName: '<file>',
        description: 'JSON {"model": "<name>", "options": {...builder options}}: a model with sizes of your own',
      },
      {
        name: 'tasks',
        type: 'string',
        valueName: '<n>',
        description: `tasks, 2 to ${MAX_BENCH_TASKS} (ctr, cvr, cvr2, ...)`,
        defaultText: '2',
      },
      {
        name: 'profile',
        type: 'boolean',
        description: 'also split a training step into matrix products, embedding, element-wise, optimizer and the rest',
      },
      { name: 'profile-steps', type: 'string', valueName: '<n>', description: 'steps to profile with --profile', defaultText: '5' },
      {
        name: 'baseline',
        type: 'string',
        valueName: '<name|none>',
        description: 'also bench this model in the same run and print the cost per sample relative to it',
        defaultText: 'mmoe, when another model is benched',
      },
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
      'Workload (the same as bench/torch_models.py): 20 categorical fields × vocabulary 10,000 × dim 8; 2 tasks ' +
        '(ctr, cvr; in the clicked space for the funnel models); towers [64]; sigmoid; BCE; Adam 1e-3; batch 2048; ' +
        "synthetic batches. The default model is @ektm/baselines' MMoE with 4 experts [256,128] and a softmax gate " +
        'per task; every other model gets the same expert network (PLE: 4 experts a level, 2 levels, the experts of ' +
        'level 1 [256] and of level 2 [128]; EKTM: on that MMoE; AITM: a [256,128] network per task).',
      'The profile wraps every kernel with a timer (in extra steps after the timed ones) and compares the products ' +
        'with their lower bound: their GFLOP at the GFLOP/s of one large plain product on this engine.',
      'Throughput is wall-clock: run it on an otherwise idle machine (check the load average first). ' +
        '`npm run bench:torch` alternates it with the PyTorch reference and prints the ratios.',
    ],
    examples: [
      'bench',
      'bench --model ple --profile',
      'bench --model ektm --baseline none',
      'bench --threads 1 --json out/bench-1-thread.json',
      'bench --model ektm --steps 10 --json out/bench-ektm.json',
      'bench --config bench/ple-3-levels.json --tasks 3',
    ],
  },
  async run(argv, io) {
    const args = parseCommand(this.spec, argv);
    if (args.help) return printHelp(this.spec, io);
    const v = args.values;
    const name = this.spec.name;
    const modelName = choiceOption(name, 'model', v.model, BENCH_MODELS);
    if (modelName !== undefined && typeof v.config === 'string')
      throw new ConfigError('bench: pass either --model or --config (which names its model), not both', 'config');
    const model = typeof v.config === 'string' ? readBenchConfig(resolve(io.cwd, v.config)) : (modelName ?? 'mmoe');
    const tasks = intOption(name, 'tasks', v.tasks, { min: 2, max: MAX_BENCH_TASKS }) ?? REFERENCE_WORKLOAD.tasks;
    const baselineFlag = typeof v.baseline === 'string' ? v.baseline : undefined;
    if (baselineFlag !== undefined && baselineFlag !== 'none') choiceOption(name, 'baseline', baselineFlag, BENCH_MODELS);
    const benched = typeof model === 'string' ? model : model.model;
    const baseline =
      baselineFlag === 'none' ? undefined : (baselineFlag ?? (benched === 'mmoe' && typeof model === 'string' ? undefined : 'mmoe'));
    const quick = quickMode(io, name);
    const steps = quickCap(quick, intOption(name, 'steps', v.steps, { min: 1 }) ?? 20, QUICK_LIMITS.benchSteps)!;
    const warmup = quick ? 0 : (intOption(name, 'warmup', v.warmup, { min: 0 }) ?? 3);
    // A quick run profiles as many steps as it times.
    const profileSteps = v.profile
      ? quickCap(quick, intOption(name, 'profile-steps', v['profile-steps'], { min: 1 }) ?? 5, QUICK_LIMITS.benchSteps)!
      : 0;
    const batchSize = intOption(name, 'batch', v.batch, { min: 1 }) ?? REFERENCE_WORKLOAD.batchSize;
    const threadsFlag = intOption(name, 'threads', v.threads, { min: 1, max: 64 });
    const jsonPath = typeof v.json === 'string' ? resolve(io.cwd, v.json) : undefined;
    if (jsonPath) checkOutputFile(jsonPath, 'json');
    // An explicit flag wins; else EKTM_WASM_THREADS; else the default.
    const threads = threadsFlag ?? parseWasmThreads(io.env[WASM_THREADS_ENV]) ?? defaultBenchThreads();
    const result = await runBench({
      model,
      tasks,
      profileSteps,
      steps,
      warmup,
      batchSize,
      threads,
      log: v.quiet ? undefined : (line) => io.stderr.write(`${line}\n`),
    });
    const lines = [
      `model               ${result.model} (${result.parameters} parameters, batch ${result.batchSize}, tasks ${result.tasks.join(' ')})`,
      `backend             ${result.backend}${result.threads > 1 ? ` (${result.threads} threads)` : ''}`,
      `trainSamplesPerSec  ${result.trainSamplesPerSec}`,
      `inferSamplesPerSec  ${result.inferSamplesPerSec}`,
      `msPerStep           ${result.msPerStep}`,
      `peakRssMB           ${result.peakRssMB}`,
      `machine             ${describeMachine(result.machine)} (load ${result.loadAverageEnd.toFixed(2)} at the end)`,
      ...profileLines(result),
    ];
    let relative: Record<string, unknown> | undefined;
    if (baseline !== undefined) {
      // The same workload, steps and threads, in the same process right after: the cost per sample relative to it.
      const base = await runBench({ model: baseline, tasks, steps, warmup, batchSize, threads });
      const train = base.trainSamplesPerSec / result.trainSamplesPerSec;
      const infer = base.inferSamplesPerSec / result.inferSamplesPerSec;
      // Per CPU-second too: on a shared machine, time lost to other processes inflates wall-clock costs unevenly.
      const trainCpu = base.trainSamplesPerCpuSec / result.trainSamplesPerCpuSec;
      const inferCpu = base.inferSamplesPerCpuSec / result.inferSamplesPerCpuSec;
      relative = {
        model: baseline,
        trainSamplesPerSec: base.trainSamplesPerSec,
        inferSamplesPerSec: base.inferSamplesPerSec,
        train,
        infer,
        trainPerCpuSec: trainCpu,
        inferPerCpuSec: inferCpu,
      };
      lines.push(
        '',
        `baseline            ${baseline} in the same run: train ${base.trainSamplesPerSec}/s, inference ${base.inferSamplesPerSec}/s (load ${base.loadAverageEnd.toFixed(2)})`,
        `cost per sample     ${train.toFixed(2)}× ${baseline}'s in training, ${infer.toFixed(2)}× in inference`,
        `  per CPU-second    ${trainCpu.toFixed(2)}× in training, ${inferCpu.toFixed(2)}× in inference`,
      );
    }
    io.stdout.write(`${lines.join('\n')}\n`);
    if (jsonPath) {
      writeFileAtomic(jsonPath, `${JSON.stringify(relative ? { ...result, relativeTo: relative } : result, null, 2)}\n`);
      io.stderr.write(`wrote ${jsonPath}\n`);
    }
    return 0;
  },
};

/** Reads `--config`: `{ "model": "<registry name>", "options": { ...builder options } }`. */
function readBenchConfig(path: string): BenchModelSpec {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(`bench --config ${path}: ${(error as Error).message}`, 'config');
  }
  const config = parsed as { model?: unknown; options?: unknown } | null;
  if (!config || typeof config !== 'object' || typeof config.model !== 'string') {
    throw new ConfigError(`bench --config ${path}: expected {"model": "<name>", "options": {...}}; "model" is missing`, 'config');
  }
  if (!BENCH_MODELS.includes(config.model)) {
    throw new ConfigError(`bench --config ${path}: model "${config.model}" is not one of ${BENCH_MODELS.join(', ')}`, 'config.model');
  }
  if (config.options !== undefined && (typeof config.options !== 'object' || config.options === null || Array.isArray(config.options))) {
    throw new ConfigError(`bench --config ${path}: "options" must be an object of builder options`, 'config.options');
  }
  return { model: config.model, options: (config.options as Record<string, unknown> | undefined) ?? {} };
}

/** The profile as printed lines: ms per step of each part, its share, and the products against their lower bound. */
function profileLines(result: BenchResult): string[] {
  const p = result.profile;
  if (!p) return [];
  const total = STEP_PARTS.reduce((sum, part) => sum + p.parts[part], 0);
  return [
    '',
    `profile: a training step, median of ${p.steps} profiled steps: ${p.stepMs} ms (kernels timed one by one)`,
    ...STEP_PARTS.map(
      (part) =>
        `  ${part.padEnd(12)}${p.parts[part].toFixed(1).padStart(8)} ms ${((100 * p.parts[part]) / total).toFixed(0).padStart(3)}%  ${STEP_PART_DESCRIPTIONS[part]}`,
    ),
    `  products: ${p.productGflop} GFLOP a step at ${p.productGflops} GFLOP/s; one large plain product reaches ${p.peakGflops} GFLOP/s here`,
    `  lower bound (the products alone at ${p.peakGflops} GFLOP/s): ${p.lowerBoundMs} ms; a timed step (${result.msPerStep} ms) is ${(result.msPerStep / p.lowerBoundMs).toFixed(2)}× it`,
    '  top kernels (ms a step, calls a step):',
    ...p.topKernels.map((k) => `    ${k.ms.toFixed(1).padStart(7)} ms ${String(k.calls).padStart(4)}×  ${k.part.padEnd(12)}${k.kernel}`),
  ];
}
