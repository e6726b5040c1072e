#!/usr/bin/env node
// One measurement of `npm run bench:data` (bench/large-data.mjs runs each in its own process, so that every peak RSS
// is that measurement's alone). Prints one JSON line on stdout.
//
//   node bench/large-data-run.mjs encoder <spec.json>                 fit the preprocessing in one pass, then one shuffled pass of
//                                                                       the train split through the encoder alone (rows/s of each)
//   node bench/large-data-run.mjs train <spec.json> memory|stream      one epoch of MMoE, the rows in memory (loaded first) or
//        [--max-rows N] [--batch-size 512]                             streamed from disk, exactly as `ektm train` holds them
//
// Uses the built packages (`npm run build` first). Training runs without a validation split, so that the time measured
// is the training pass alone, data reading included; the model and its options are those of `ektm train --model mmoe`.
import { initEngine, train } from '@ektm/core';
import { MODELS, TRAIN_DEFAULTS, openCommandData } from '@ektm/cli';
import { fitPreprocessor, streamSource } from '@ektm/datasets';

const [what, spec, mode] = process.argv.slice(2);
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const seconds = (start) => (performance.now() - start) / 1000;
const peakRssMB = () => Math.round(process.resourceUsage().maxRSS / 1024);

if (what === 'encoder') {
  let start = performance.now();
  const preprocessor = await fitPreprocessor(spec);
  const fitSeconds = seconds(start);
  start = performance.now();
  let rows = 0;
  // The pass training makes: every train row decoded, encoded and shuffled through the buffer (chunks of 4096).
  for await (const chunk of streamSource(spec, 'train', { preprocessor }).chunks({ shuffleSeed: 1 })) rows += chunk.rows;
  const passSeconds = seconds(start);
  process.stdout.write(
    `${JSON.stringify({ what, rows, fitSeconds, fitRowsPerSec: rows / fitSeconds, passSeconds, encoderRowsPerSec: rows / passSeconds, peakRssMB: peakRssMB() })}\n`,
  );
} else if (what === 'train') {
  if (mode !== 'memory' && mode !== 'stream') throw new Error(`mode ${mode}: use memory or stream`);
  const engine = await initEngine({ quiet: true });
  const maxRows = opt('max-rows', undefined);
  let start = performance.now();
  // A budget of 1 kB streams any dataset; 1 TB loads any dataset into memory.
  const data = await openCommandData({ dataset: spec, memoryBudget: mode === 'stream' ? 1e3 : 1e12, maxRows: maxRows && Number(maxRows) });
  const prepareSeconds = seconds(start);
  const plan = MODELS.plan('mmoe', data.tasks);
  if (!plan.ok) throw new Error(plan.reason);
  const model = MODELS.build('mmoe', {
    features: data.features,
    tasks: data.tasks,
    seed: 0,
    embeddingDim: TRAIN_DEFAULTS.embeddingDim,
    ...plan.options,
  });
  const batchSize = Number(opt('batch-size', String(TRAIN_DEFAULTS.batchSize)));
  start = performance.now();
  const result = await train(model, {
    train: data.train,
    epochs: 1,
    batchSize,
    learningRate: TRAIN_DEFAULTS.learningRate,
    seed: 0,
    progress: 'none',
  });
  const epochSeconds = seconds(start);
  const rows = result.history[0].rows;
  model.dispose();
  process.stdout.write(
    `${JSON.stringify({
      what,
      mode,
      streamed: data.streamed,
      backend: engine.backend,
      wasmThreads: engine.wasmThreads ?? 1,
      rows,
      batchSize,
      prepareSeconds,
      epochSeconds,
      samplesPerSec: rows / epochSeconds,
      stepSamplesPerSec: result.samplesPerSecond,
      peakRssMB: peakRssMB(),
    })}\n`,
  );
} else {
  throw new Error(`unknown measurement ${what}: use encoder or train`);
}
