/**
 * Before/after comparison that survives a busy machine: one process, one model, the engine switched between
 * the state before issue 7 (`--baseline` of throughput.ts) and the current one every few steps, so that both
 * see the same load. Prints the median and best step and inference-batch times of each.
 * `node bench/dist/ab.mjs [--rounds 6] [--per-round 2]`
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { createFusedAdam, initEngine, patchWasmKernels } from '@ektm/core';
import { buildBenchmarkModel, totalLoss, undoIssue7Changes } from './throughput.js';
import { syntheticBatches } from './synthetic-batches.js';

const args = process.argv.slice(2);
const arg = (n: string, d: string) => (args.includes(`--${n}`) ? args[args.indexOf(`--${n}`) + 1]! : d);
const rounds = Number(arg('rounds', '6'));
const perRound = Number(arg('per-round', '2'));
await initEngine({ quiet: true });
const layerProto = tfl.layers.Layer.prototype as unknown as Record<string, unknown>;
const patchedApply = layerProto['apply'];
const { model } = await buildBenchmarkModel('mmoe', 20, 10_000);
const rows = 2048;
const batches = syntheticBatches(4, rows, 20, 10_000).map((b) => ({
  ids: tf.tensor2d(b.ids, [rows, 20], 'int32'),
  labels: { task0: tf.tensor1d(b.labels[0]!), task1: tf.tensor1d(b.labels[1]!) },
  masks: { task0: tf.ones([rows]) as tf.Tensor1D, task1: tf.ones([rows]) as tf.Tensor1D },
}));
const modes = {
  before: { optimizer: tf.train.adam(1e-3) as tf.Optimizer, set: () => undoIssue7Changes(), train: [] as number[], infer: [] as number[] },
  after: {
    optimizer: createFusedAdam(1e-3) as tf.Optimizer,
    set: () => {
      patchWasmKernels();
      layerProto['apply'] = patchedApply;
    },
    train: [] as number[],
    infer: [] as number[],
  },
};
let i = 0;
for (let r = 0; r < rounds + 1; r++) {
  for (const mode of Object.values(modes)) {
    mode.set();
    for (let k = 0; k < perRound; k++, i++) {
      const batch = batches[i % 4]!;
      let t = performance.now();
      tf.dispose(mode.optimizer.minimize(() => totalLoss(model, batch), true) ?? []);
      const trainMs = performance.now() - t;
      t = performance.now();
      const out = tf.tidy(() => Object.values(model.forward({ categorical: batch.ids }, false)));
      for (const o of out) o.dataSync();
      tf.dispose(out);
      const inferMs = performance.now() - t;
      if (r > 0) {
        // Round 0 warms both modes up.
        mode.train.push(trainMs);
        mode.infer.push(inferMs);
      }
    }
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const summary = Object.fromEntries(
  Object.entries(modes).map(([name, m]) => [
    name,
    {
      trainMsMedian: Math.round(median(m.train)),
      trainMsBest: Math.round(Math.min(...m.train)),
      inferMsMedian: Math.round(median(m.infer) * 10) / 10,
      inferMsBest: Math.round(Math.min(...m.infer) * 10) / 10,
      trainSamplesPerSecMedian: Math.round((rows * 1000) / median(m.train)),
      inferSamplesPerSecMedian: Math.round((rows * 1000) / median(m.infer)),
    },
  ]),
);
console.log(JSON.stringify(summary));
