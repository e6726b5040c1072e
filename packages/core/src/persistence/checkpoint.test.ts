import { mkdtemp, readdir, readFile, rm, writeFile, mkdir, rename } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  applyBestWeights,
  applyCheckpoint,
  buildMultiTaskModel,
  disposeCheckpoint,
  optimizerState,
  readCheckpoint,
  SharedBottom,
  tableInputs,
  writeCheckpoint,
  type MultiTaskModel,
} from '../index.js';
import { smallTable, testFeatures, testTasks } from './test-models.js';

function makeModel(seed: number): MultiTaskModel {
  return buildMultiTaskModel({
    features: testFeatures,
    tasks: testTasks,
    backbone: (ctx) => new SharedBottom({ tasks: ctx.towerTasks, bottom: { units: [8] }, seed: ctx.seed }),
    tower: { units: [4] },
    seed,
  });
}

async function trainSteps(model: MultiTaskModel, optimizer: tf.Optimizer, steps: number): Promise<void> {
  const table = smallTable(16);
  const inputs = tableInputs(table);
  const y = tf.tensor1d(table.labels.click!);
  for (let s = 0; s < steps; s++) {
    optimizer.minimize(() => tf.mean(tf.square(tf.sub(tf.reshape(model.forward(inputs, true)['prob:click']!, [-1]), y))) as tf.Scalar);
  }
  tf.dispose([inputs.categorical, inputs.numeric!, y]);
}

function valuesOf(tensors: tf.Tensor[]): number[][] {
  return tensors.map((t) => Array.from(t.dataSync()));
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ektm-checkpoint-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeCheckpoint / readCheckpoint', () => {
  it('returns undefined when there is no checkpoint', async () => {
    expect(await readCheckpoint(dir)).toBeUndefined();
    expect(await readCheckpoint(join(dir, 'does-not-exist'))).toBeUndefined();
  });

  it('round-trips model weights, Adam state, best weights and extra (with non-finite numbers) exactly', async () => {
    const model = makeModel(1);
    const optimizer = tf.train.adam(0.01);
    await trainSteps(model, optimizer, 2);
    const optimizerWeights = await optimizer.getWeights();
    const best = model.model.getWeights().map((w) => tf.mul(w, 2));
    const extra = { epoch: 3, best: -Infinity, losses: [0.5, Number.NaN], rng: 12345, nested: { inf: Infinity } };
    await writeCheckpoint(dir, { model, optimizerWeights, extra, bestWeights: best });
    expect((await readdir(dir)).sort()).toEqual(['checkpoint']);
    expect((await readdir(join(dir, 'checkpoint'))).sort()).toEqual(['checkpoint.json', 'tensors.bin']);

    const before = tf.memory().numTensors;
    const checkpoint = (await readCheckpoint(dir))!;
    expect(checkpoint.extra).toEqual(extra);
    expect(valuesOf(checkpoint.weights)).toEqual(valuesOf(model.model.getWeights()));
    expect(valuesOf(checkpoint.bestWeights!)).toEqual(valuesOf(best));
    expect(checkpoint.optimizerWeights.map((w) => w.name)).toEqual(optimizerWeights.map((w) => w.name));
    expect(valuesOf(checkpoint.optimizerWeights.map((w) => w.tensor))).toEqual(valuesOf(optimizerWeights.map((w) => w.tensor)));
    expect(checkpoint.weightNames).toEqual(model.model.weights.map((w) => w.originalName));
    disposeCheckpoint(checkpoint);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(best);
    model.dispose();
  });

  it('resumes training exactly: a restored model and optimizer continue like the uninterrupted run', async () => {
    const reference = makeModel(2);
    const refOptimizer = tf.train.adam(0.01);
    await trainSteps(reference, refOptimizer, 2);
    await writeCheckpoint(dir, { model: reference, optimizerWeights: await optimizerState(refOptimizer), extra: { step: 2 } });
    await trainSteps(reference, refOptimizer, 2);

    const resumed = makeModel(99); // other initial weights, same architecture
    const optimizer = tf.train.adam(0.01);
    const checkpoint = (await readCheckpoint(dir))!;
    await applyCheckpoint(checkpoint, resumed, optimizer);
    disposeCheckpoint(checkpoint);
    await trainSteps(resumed, optimizer, 2);
    expect(valuesOf(resumed.model.getWeights())).toEqual(valuesOf(reference.model.getWeights()));
    reference.dispose();
    resumed.dispose();
  });

  it('applyBestWeights sets the best weights', async () => {
    const model = makeModel(3);
    const best = model.model.getWeights().map((w) => tf.add(w, 1));
    await writeCheckpoint(dir, { model, optimizerWeights: [], extra: null, bestWeights: best });
    const checkpoint = (await readCheckpoint(dir))!;
    applyBestWeights(checkpoint, model);
    disposeCheckpoint(checkpoint);
    expect(valuesOf(model.model.getWeights())).toEqual(valuesOf(best));
    tf.dispose(best);
    model.dispose();
  });

  it('replaces the previous checkpoint as a whole', async () => {
    const model = makeModel(4);
    await writeCheckpoint(dir, { model, optimizerWeights: [], extra: { epoch: 1 } });
    await writeCheckpoint(dir, { model, optimizerWeights: [], extra: { epoch: 2 } });
    expect(await readdir(dir)).toEqual(['checkpoint']);
    const checkpoint = (await readCheckpoint(dir))!;
    expect(checkpoint.extra).toEqual({ epoch: 2 });
    disposeCheckpoint(checkpoint);
    model.dispose();
  });

  it('ignores and removes a partial temporary checkpoint left by a kill; the last complete one loads', async () => {
    const model = makeModel(5);
    await writeCheckpoint(dir, { model, optimizerWeights: [], extra: { epoch: 1 } });
    // A write killed before its rename: a half-written temporary folder beside the checkpoint.
    const partial = join(dir, '.checkpoint.tmp-zzzzzzzzz-1-abc');
    await mkdir(partial);
    await writeFile(join(partial, 'tensors.bin'), new Uint8Array(7));
    const checkpoint = (await readCheckpoint(dir))!;
    expect(checkpoint.extra).toEqual({ epoch: 1 });
    disposeCheckpoint(checkpoint);
    expect(await readdir(dir)).toEqual(['checkpoint']);
    model.dispose();
  });

  it('recovers a kill between the two renames of a replacement (no checkpoint/ folder at all)', async () => {
    const model = makeModel(6);
    await writeCheckpoint(dir, { model, optimizerWeights: [], extra: { epoch: 1 } });
    const other = await mkdtemp(join(tmpdir(), 'ektm-checkpoint-next-'));
    await writeCheckpoint(other, { model, optimizerWeights: [], extra: { epoch: 2 } });
    // The state after `checkpoint → .checkpoint.old-ID` and before `.checkpoint.tmp-ID → checkpoint`.
    await rename(join(dir, 'checkpoint'), join(dir, '.checkpoint.old-000000001-1-abc'));
    await rename(join(other, 'checkpoint'), join(dir, '.checkpoint.tmp-000000001-1-abc'));
    await rm(other, { recursive: true });
    const checkpoint = (await readCheckpoint(dir))!;
    expect(checkpoint.extra).toEqual({ epoch: 2 });
    disposeCheckpoint(checkpoint);
    expect(await readdir(dir)).toEqual(['checkpoint']);

    // A kill right after the first rename of a replacement whose temporary folder then vanished: the old one returns.
    await rename(join(dir, 'checkpoint'), join(dir, '.checkpoint.old-000000002-1-abc'));
    const back = (await readCheckpoint(dir))!;
    expect(back.extra).toEqual({ epoch: 2 });
    disposeCheckpoint(back);
    model.dispose();
  });

  it('rejects a corrupted tensors file, a malformed or foreign checkpoint.json and a missing file, naming the file', async () => {
    const model = makeModel(7);
    await writeCheckpoint(dir, { model, optimizerWeights: [], extra: {} });
    const bin = join(dir, 'checkpoint', 'tensors.bin');
    const json = join(dir, 'checkpoint', 'checkpoint.json');
    const bytes = await readFile(bin);
    bytes[10] = bytes[10]! ^ 0xff;
    await writeFile(bin, bytes);
    await expect(readCheckpoint(dir)).rejects.toThrow(/tensors\.bin: checksum mismatch/);

    const text = await readFile(json, 'utf8');
    await writeFile(json, text.slice(0, 20));
    await expect(readCheckpoint(dir)).rejects.toThrow(/checkpoint\.json: malformed JSON/);
    await writeFile(json, JSON.stringify({ ...JSON.parse(text), version: 99 }));
    await expect(readCheckpoint(dir)).rejects.toThrow(/checkpoint version 99 is not supported/);
    await writeFile(json, JSON.stringify({ ...JSON.parse(text), format: 'other' }));
    await expect(readCheckpoint(dir)).rejects.toThrow(/not an ektm checkpoint/);
    // checkpoint.json carries a checksum of itself: an edited training state is found.
    await writeFile(json, JSON.stringify({ ...JSON.parse(text), extra: { epoch: 5 } }));
    await expect(readCheckpoint(dir)).rejects.toThrow(/checkpoint\.json: checksum mismatch/);
    await rm(json);
    await expect(readCheckpoint(dir)).rejects.toThrow(/checkpoint\.json: missing/);
    await writeFile(json, text);
    await rm(bin);
    await expect(readCheckpoint(dir)).rejects.toThrow(/tensors\.bin: missing/);
    model.dispose();
  });

  it('refuses to apply a checkpoint of another architecture, naming the weight', async () => {
    const model = makeModel(8);
    await writeCheckpoint(dir, { model, optimizerWeights: [], extra: {} });
    const wider = buildMultiTaskModel({
      features: testFeatures,
      tasks: testTasks,
      backbone: (ctx) => new SharedBottom({ tasks: ctx.towerTasks, bottom: { units: [9] }, seed: ctx.seed }),
      tower: { units: [4] },
    });
    const checkpoint = (await readCheckpoint(dir))!;
    await expect(applyCheckpoint(checkpoint, wider)).rejects.toThrow(/has shape \[.*\], model weight .*bottom0\/kernel has/);
    disposeCheckpoint(checkpoint);
    await expect(writeCheckpoint(dir, { model, optimizerWeights: [], extra: { bad: 1n } })).rejects.toThrow(
      /extra: must be JSON-serializable/,
    );
    model.dispose();
    wider.dispose();
  });
});
