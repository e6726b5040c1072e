import { resolve } from 'node:path';
import type { Command } from '../cli/command.js';
import { printHelp } from '../cli/format-help.js';
import { parseCommand } from '../cli/parse-command.js';
import { choiceOption, intOption } from '../cli/option-values.js';
import { BENCH_MODELS } from '../bench/reference-model.js';
import { runBench } from '../bench/run-bench.js';
import { writeFileAtomic } from '../util/atomic-write.js';

/** `ektm bench`: training and inference throughput of the reference model on this machine's backend. */
export const benchCommand: Command = {
  spec: {
    name: 'bench',
    summary: 'measure training and inference throughput of the reference model',
    usage: 'bench [--model mmoe|ektm] [--steps N] [--json out.json]',
    options: [
      { name: 'model', type: 'string', valueName: '<name>', description: 'reference model', choices: BENCH_MODELS, defaultText: 'mmoe' },
      { name: 'steps', type: 'string', valueName: '<n>', description: 'timed training steps and inference batches', defaultText: '10' },
      { name: 'json', type: 'string', valueName: '<file>', description: 'also write {"backend","model","trainSamplesPerSec","inferSamplesPerSec","peakRssMB",...} to a file' },
      { name: 'quiet', short: 'q', type: 'boolean', description: 'no progress on stderr' },
    ],
    details: [
      'Reference model: 20 categorical fields × vocabulary 10,000 × dim 8; 4 experts [256,128]; 2 softmax gates; ' +
        '2 towers [64]; sigmoid; BCE; Adam 1e-3; batch 2048. `--model ektm` is the same MMoE backbone with the EKTM ' +
        'router, transmitters and enhancers on 1 source + 3 target tasks.',
    ],
    examples: ['bench', 'bench --model ektm --json bench-ektm.json'],
  },
  async run(argv, io) {
    const args = parseCommand(this.spec, argv);
    if (args.help) return printHelp(this.spec, io);
    const v = args.values;
    const model = choiceOption(this.spec.name, 'model', v.model, BENCH_MODELS) ?? 'mmoe';
    const steps = intOption(this.spec.name, 'steps', v.steps, { min: 1 }) ?? 10;
    const result = await runBench({ model, trainSteps: steps, inferBatches: steps, log: v.quiet ? undefined : (line) => io.stderr.write(`${line}\n`) });
    const lines = [
      `model               ${result.model} (${result.parameters} parameters, batch ${result.batchSize})`,
      `backend             ${result.backend}`,
      `trainSamplesPerSec  ${result.trainSamplesPerSec}`,
      `inferSamplesPerSec  ${result.inferSamplesPerSec}`,
      `msPerStep           ${result.msPerStep}`,
      `peakRssMB           ${result.peakRssMB}`,
    ];
    io.stdout.write(`${lines.join('\n')}\n`);
    if (typeof v.json === 'string') {
      const path = resolve(io.cwd, v.json);
      writeFileAtomic(path, `${JSON.stringify(result, null, 2)}\n`);
      io.stderr.write(`wrote ${path}\n`);
    }
    return 0;
  },
};
