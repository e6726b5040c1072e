/**
 * A process that writes checkpoints in a loop until it is killed, for the crash-safety test: checkpoint n holds
 * weights all equal to n and `extra: { n }`, and n is printed once its write returned. Not part of the package.
 * Usage: node <bundle> <run directory>
 */
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { SharedBottom } from '../blocks/shared-bottom.js';
import { buildMultiTaskModel } from '../model/build-model.js';
import { writeCheckpoint } from './checkpoint.js';

async function main(dir: string): Promise<void> {
  await tf.setBackend('cpu');
  const model = buildMultiTaskModel({
    features: [
      { name: 'user', type: 'categorical', vocabularySize: 20_000, embeddingDim: 16 },
      { name: 'price', type: 'numeric' },
    ],
    tasks: [{ name: 'click' }],
    backbone: (ctx) => new SharedBottom({ tasks: ctx.towerTasks, bottom: { units: [8] }, seed: ctx.seed }),
  });
  const shapes = model.model.weights.map((w) => w.shape as number[]);
  for (let n = 1; ; n++) {
    const values = shapes.map((shape) => tf.fill(shape, n));
    model.model.setWeights(values);
    tf.dispose(values);
    await writeCheckpoint(dir, { model, optimizerWeights: [{ name: 'iter', tensor: tf.scalar(n, 'int32') }], extra: { n } });
    process.stdout.write(`${n}\n`);
  }
}

void main(process.argv[2]!);
