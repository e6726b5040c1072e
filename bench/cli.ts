/** `node bench/dist/cli.mjs [--model mmoe|ektm] [--steps 20] [--warmup 3] [--batch 2048] [--threads 2] [--baseline]`: prints one JSON line. */
import { runThroughputBenchmark } from './throughput.js';

const args = process.argv.slice(2);
const value = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const num = (name: string): number | undefined => (value(name) === undefined ? undefined : Number(value(name)));
const result = await runThroughputBenchmark({
  model: (value('model') as 'mmoe' | 'ektm' | undefined) ?? 'mmoe',
  steps: num('steps'),
  warmup: num('warmup'),
  batch: num('batch'),
  threads: num('threads'),
  baseline: args.includes('--baseline'),
});
process.stdout.write(`${JSON.stringify(result)}\n`);
