/**
 * A training run in its own process, for the kill-and-resume test (bundled by the test with esbuild, run with
 * `node`). Usage: `node child.mjs <checkpointDir> <run|pause>`. It always passes `resume: true`. In `pause` mode it
 * stops in the middle of the second epoch, prints `PAUSED`, and waits to be killed; otherwise it trains to the end
 * and prints `DONE <json>` with the result and the final weights.
 */
import { initEngine } from '@ektm/engine';
import { syntheticModel, syntheticTable } from '../synthetic-problem.js';
import { train } from '../train.js';

const [dir, mode] = process.argv.slice(2);
if (!dir || (mode !== 'run' && mode !== 'pause')) throw new Error('usage: kill-resume-child <checkpointDir> <run|pause>');
await initEngine({ quiet: true });
const model = syntheticModel(5);
const result = await train(model, {
  train: syntheticTable(2048, 1),
  validation: syntheticTable(500, 2),
  epochs: 3,
  batchSize: 128,
  learningRate: 0.01,
  seed: 3,
  checkpointDir: dir,
  resume: true,
  progress: 'none',
  callbacks: {
    onBatchEnd: async (_step, logs) => {
      if (mode === 'pause' && logs.epoch === 1 && logs.batch === 3) {
        process.stdout.write('PAUSED\n');
        await new Promise(() => setInterval(() => undefined, 1000));
      }
    },
  },
});
const weights = model.model.getWeights().map((w) => Array.from(w.dataSync()));
process.stdout.write(
  `DONE ${JSON.stringify({ epochs: result.history.length, resumedAfterEpoch: result.resumedAfterEpoch ?? null, weights })}\n`,
);
