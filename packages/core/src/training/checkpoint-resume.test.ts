import * as tf from '@tensorflow/tfjs-core';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MultiTaskModel } from '../model/multi-task-model.js';
import { disposeCheckpoint, readCheckpoint } from '../persistence/checkpoint.js';
import { registerLossKind } from '../tasks/loss-terms.js';
import { NonFiniteLossError, NonFiniteWeightError, TrainingDivergedError } from './non-finite-loss-error.js';
import { syntheticModel, syntheticTable } from './synthetic-problem.js';
import { train } from './train.js';
import type { TrainOptions } from './train-options.js';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '../../../..');
const trainTable = syntheticTable(2048, 1);
const validTable = syntheticTable(500, 2);

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ektm-train-ckpt-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function weightsOf(model: MultiTaskModel): Float32Array[] {
  return model.model.getWeights().map((w) => w.dataSync().slice() as Float32Array);
}

function maxAbsDiff(a: ArrayLike<number>[], b: ArrayLike<number>[]): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  a.forEach((x, i) => {
    expect(x.length).toBe(b[i]!.length);
    for (let j = 0; j < x.length; j++) max = Math.max(max, Math.abs(x[j]! - b[i]![j]!));
  });
  return max;
}

/**
 * Trains 3 epochs of 8 steps (losses read back every 3 steps, a checkpoint in `dir` after every epoch), calls `poison`
 * after step `batch` of the second epoch, and returns the error training ended with and the weights after epoch 1.
 */
async function trainPoisonedInEpoch2(
  model: MultiTaskModel,
  dir: string,
  batch: number,
  poison: () => void,
): Promise<{ error: unknown; epoch0: Float32Array[] }> {
  let epoch0: Float32Array[] = [];
  const error = await train(model, {
    train: trainTable,
    epochs: 3,
    batchSize: 256,
    lossReadEvery: 3,
    checkpointDir: dir,
    progress: 'none',
    callbacks: {
      onEpochEnd: (epoch) => {
        if (epoch === 0) epoch0 = weightsOf(model);
      },
      onBatchEnd: (step, logs) => {
        expect(step).toBe(logs.epoch * 8 + logs.batch); // steps count across epochs
        if (logs.epoch === 1 && logs.batch === batch) poison();
      },
    },
  }).catch((e: unknown) => e);
  return { error, epoch0 };
}

/** The checkpoint in `dir` is still the first epoch's, with exactly `weights`. */
async function expectFirstEpochCheckpoint(dir: string, weights: Float32Array[]): Promise<void> {
  const checkpoint = (await readCheckpoint(dir))!;
  expect((checkpoint.extra as { epoch: number }).epoch).toBe(0);
  expect(
    maxAbsDiff(
      checkpoint.weights.map((w) => w.dataSync()),
      weights,
    ),
  ).toBe(0);
  disposeCheckpoint(checkpoint);
}

describe('checkpoints and resume', () => {
  it('1 epoch + a restart with a new model object and resume: true ends with the weights of 3 uninterrupted epochs', async () => {
    const options = (dir: string, epochs: number): TrainOptions => ({
      train: trainTable,
      validation: validTable,
      epochs,
      batchSize: 256,
      learningRate: 0.01,
      seed: 4,
      lossWeighting: 'uncertainty',
      earlyStopping: { patience: 5 },
      checkpointDir: dir,
      progress: 'none',
    });
    const straight = syntheticModel(9);
    const full = await train(straight, options(join(root, 'straight'), 3));
    const checkpoint = (await readCheckpoint(join(root, 'straight')))!;
    expect((checkpoint.extra as { epoch: number }).epoch).toBe(2);
    expect(checkpoint.optimizerWeights.length).toBeGreaterThan(1); // Adam's iteration count and moments
    expect(checkpoint.bestWeights).toHaveLength(checkpoint.weights.length);
    disposeCheckpoint(checkpoint);

    const dir = join(root, 'interrupted');
    const firstProcess = syntheticModel(9);
    const part = await train(firstProcess, options(dir, 1));
    expect(part.history).toHaveLength(1);
    firstProcess.dispose();

    const restarted = syntheticModel(123); // different initial weights: the checkpoint must replace them all
    const before = tf.memory().numTensors;
    const resumed = await train(restarted, { ...options(dir, 3), resume: true });
    expect(tf.memory().numTensors).toBe(before);
    expect(resumed.resumedAfterEpoch).toBe(0);
    expect(resumed.history).toHaveLength(3);
    expect(resumed.history[0]).toEqual(part.history[0]);
    expect(maxAbsDiff(weightsOf(restarted), weightsOf(straight))).toBeLessThanOrEqual(1e-6);
    expect(resumed.history[2]!.validation!.click!.auc).toBeCloseTo(full.history[2]!.validation!.click!.auc!, 5);
    expect(resumed.logVariances!.click).toBeCloseTo(full.logVariances!.click!, 6);
    expect(resumed.bestEpoch).toBe(full.bestEpoch);

    // A finished run resumes to nothing left to do.
    const again = await train(restarted, { ...options(dir, 3), resume: true });
    expect(again.history).toHaveLength(3);
    // A checkpoint of another configuration is refused, naming the difference.
    await expect(train(restarted, { ...options(dir, 4), optimizer: 'sgd', resume: true })).rejects.toThrow(
      /optimizer "sgd".*trained with "adam"/,
    );
    straight.dispose();
    restarted.dispose();
  });

  it.each(['sgd', 'adagrad', 'rmsprop', 'adamw'] as const)(
    'the %s optimizer state round-trips through a checkpoint: 1 + 1 resumed epochs = 2 epochs',
    async (optimizer) => {
      const options = (dir: string, epochs: number): TrainOptions => ({
        train: syntheticTable(512, 6),
        epochs,
        batchSize: 128,
        optimizer,
        learningRate: 0.01,
        checkpointDir: dir,
        progress: 'none',
      });
      const straight = syntheticModel(10);
      await train(straight, options(join(root, `${optimizer}-straight`), 2));
      const dir = join(root, `${optimizer}-resumed`);
      const first = syntheticModel(10);
      await train(first, options(dir, 1));
      first.dispose();
      const second = syntheticModel(11);
      const resumed = await train(second, { ...options(dir, 2), resume: true });
      expect(resumed.resumedAfterEpoch).toBe(0);
      expect(maxAbsDiff(weightsOf(second), weightsOf(straight))).toBeLessThanOrEqual(1e-6);
      straight.dispose();
      second.dispose();
    },
  );

  it('stops with a clear error naming the term, epoch and step when a loss becomes NaN, and keeps the last checkpoint', async () => {
    let poisoned = false;
    registerLossKind('test-poison-after-flag', ({ outputs }) =>
      tf.tidy(() => tf.mul(tf.mean(outputs[0]!), poisoned ? Number.NaN : 0) as tf.Scalar),
    );
    const base = syntheticModel(8);
    const model = new MultiTaskModel(base.model, {
      ...base.spec,
      lossTerms: [
        ...base.spec.lossTerms,
        { name: 'poison', kind: 'test-poison-after-flag', outputs: ['prob:click'], task: 'click', weight: 1, role: 'auxiliary' },
      ],
    });
    const { error, epoch0 } = await trainPoisonedInEpoch2(model, join(root, 'nan'), 4, () => void (poisoned = true));
    expect(error).toBeInstanceOf(NonFiniteLossError);
    const nan = error as NonFiniteLossError;
    expect(nan.term).toBe('poison');
    expect(nan.epoch).toBe(1);
    expect(nan.step).toBe(5); // the first step after the flag, found among three steps read back together
    expect(nan.lastCheckpointEpoch).toBe(0);
    expect(nan.message).toMatch(/loss term "poison" is NaN at epoch 2, step 6.*checkpoint of epoch 1 is intact/);
    await expectFirstEpochCheckpoint(join(root, 'nan'), epoch0);
    base.dispose();
  });

  it('a run killed mid-epoch in another process resumes from its last checkpoint and finishes like an uninterrupted run', async () => {
    const { build } = await import('esbuild');
    const outDir = join(repoRoot, 'node_modules', '.cache', 'ektm-training-tests');
    await mkdir(outDir, { recursive: true });
    const script = join(outDir, `kill-resume-child-${process.pid}.mjs`);
    await build({
      entryPoints: [join(here, 'testing', 'kill-resume-child.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile: script,
      external: ['@tensorflow/*'],
      // The sources, as vitest runs them here, rather than whatever dist/ was last built.
      alias: { '@ektm/engine': join(repoRoot, 'packages/engine/src/index.ts') },
      logLevel: 'silent',
    });
    try {
      // The uninterrupted reference runs here, with the options of the child (same backend: both call initEngine()).
      const referenceModel = syntheticModel(5);
      const referenceRun = await train(referenceModel, {
        train: syntheticTable(2048, 1),
        validation: syntheticTable(500, 2),
        epochs: 3,
        batchSize: 128,
        learningRate: 0.01,
        seed: 3,
        progress: 'none',
      });
      const reference = { result: { epochs: referenceRun.history.length, resumedAfterEpoch: null, weights: weightsOf(referenceModel) } };
      referenceModel.dispose();
      const dir = join(root, 'child-killed');
      const killed = await runChild(script, dir, 'pause');
      expect(killed.signal).toBe('SIGKILL');
      const checkpoint = (await readCheckpoint(dir))!;
      expect((checkpoint.extra as { epoch: number }).epoch).toBe(0); // epoch 2 was in progress
      disposeCheckpoint(checkpoint);
      const resumed = await runChild(script, dir, 'run');
      expect(resumed.result).toMatchObject({ epochs: 3, resumedAfterEpoch: 0 });
      expect(reference.result).toMatchObject({ epochs: 3, resumedAfterEpoch: null });
      expect(maxAbsDiff(resumed.result!.weights, reference.result!.weights)).toBeLessThanOrEqual(1e-6);
    } finally {
      await rm(script, { force: true });
    }
  });
});

interface ChildResult {
  signal: NodeJS.Signals | null;
  result?: { epochs: number; resumedAfterEpoch: number | null; weights: ArrayLike<number>[] };
}

/** Runs the child; in `pause` mode kills it with SIGKILL as soon as it reports being mid-epoch. */
function runChild(script: string, dir: string, mode: 'run' | 'pause'): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, dir, mode], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (mode === 'pause' && out.includes('PAUSED\n')) child.kill('SIGKILL');
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const done = out.split('\n').find((l) => l.startsWith('DONE '));
      if (mode === 'run' && (code !== 0 || !done)) {
        reject(new Error(`child exited with ${code ?? signal}: ${err.slice(-2000)}`));
        return;
      }
      resolve({ signal, ...(done ? { result: JSON.parse(done.slice(5)) } : {}) });
    });
  });
}

/**
 * Writes `value` into row 0 of the embedding table: the out-of-vocabulary id of "user", which the synthetic data
 * never uses. No gradient touches that row and no prediction reads it, so the loss stays finite: only a check of the
 * weights can see the fault (as with a divergence whose saturated predictions keep the clipped BCE finite).
 */
function poisonUnusedEmbeddingRow(model: MultiTaskModel, value: number): string {
  const table = model.model.getLayer('features').weights[0]!;
  const values = table.read().dataSync().slice();
  values[0] = value;
  const poisoned = tf.tensor(values, table.shape as number[]);
  table.write(poisoned);
  poisoned.dispose();
  return table.name;
}

// Training stops at the first read-back that shows a non-finite loss or weight; the last good checkpoint stays intact.
describe('divergence guard', () => {
  it('learningRate 1e30 stops training with a divergence error at the first read-back, quoting the rate and naming clipNorm', async () => {
    const model = syntheticModel(1);
    const error = await train(model, {
      train: trainTable,
      validation: validTable,
      epochs: 2,
      batchSize: 256,
      learningRate: 1e30,
      lossReadEvery: 2,
      progress: 'none',
    }).catch((e: unknown) => e);
    // Which check fires depends on the backend (a clamp that keeps NaN makes the loss NaN; one that turns NaN into
    // its bound keeps the loss finite and leaves it to the weight check); both stop at the first read-back.
    expect(error).toBeInstanceOf(TrainingDivergedError);
    const diverged = error as TrainingDivergedError;
    expect([diverged.epoch, diverged.lastCheckpointEpoch]).toEqual([0, undefined]);
    expect(diverged.step).toBeLessThanOrEqual(1);
    expect(diverged.message).toMatch(/at epoch 1, step [12]|by epoch 1, step 2/);
    expect(diverged.message).toMatch(
      /training stopped\. No checkpoint was written before it\. Try a smaller learningRate \(it is 1e\+30\) or set clipNorm \(e\.g\. clipNorm: 1\); on the command line: --learning-rate, and ektm train --clip-norm 1\.$/,
    );
    model.dispose();
  });

  it('a weight that becomes infinite while every loss stays finite stops training at the next read-back; the last good checkpoint stays as it was', async () => {
    const model = syntheticModel(2);
    let poisonedName = '';
    const dir = join(root, 'poisoned-mid-epoch');
    const { error, epoch0 } = await trainPoisonedInEpoch2(
      model,
      dir,
      2,
      () => void (poisonedName = poisonUnusedEmbeddingRow(model, Infinity)),
    );
    expect(error).toBeInstanceOf(NonFiniteWeightError);
    const diverged = error as NonFiniteWeightError;
    expect(diverged.weights).toEqual([poisonedName]);
    expect(diverged.checkedWeights).toBe(model.model.weights.length);
    expect([diverged.epoch, diverged.step, diverged.lastCheckpointEpoch]).toEqual([1, 5, 0]); // read back after steps 4–6
    expect(diverged.message).toBe(
      `train: weight "${poisonedName}" became NaN or infinite by epoch 2, step 6, while the loss was still finite; training stopped. ` +
        'The checkpoint of epoch 1 is intact; resume from it. Try a smaller learningRate (it is 0.001) or set clipNorm (e.g. clipNorm: 1); on the command line: --learning-rate, and ektm train --clip-norm 1.',
    );
    await expectFirstEpochCheckpoint(dir, epoch0);
    model.dispose();
  });

  it('checks the weights at the end of every epoch too (no read-back was due), and counts every diverged weight', async () => {
    const model = syntheticModel(3);
    const name = poisonUnusedEmbeddingRow(model, Number.NaN);
    const before = tf.memory().numTensors;
    const error = await train(model, { train: trainTable, epochs: 1, batchSize: 256, lossReadEvery: 100, progress: 'none' }).catch(
      (e: unknown) => e,
    );
    expect(tf.memory().numTensors).toBe(before);
    expect(error).toBeInstanceOf(NonFiniteWeightError);
    const diverged = error as NonFiniteWeightError;
    expect(diverged.weights).toEqual([name]);
    expect(diverged.step).toBe(7); // the last of 8 steps: only the end-of-epoch check ran
    expect(diverged.message).toMatch(
      new RegExp(`^train: weight "${name}" became NaN or infinite by epoch 1, step 8, while the loss was still finite;`),
    );

    const several = new NonFiniteWeightError(['a/kernel', 'b/bias', 'c/kernel'], 11, 0, 3, undefined);
    expect(several.message).toBe(
      'train: weight "a/kernel" (and 2 more of the 11 weights) became NaN or infinite by epoch 1, step 4, while the loss was still finite; ' +
        'training stopped. No checkpoint was written before it. Try a smaller learningRate or set clipNorm (e.g. clipNorm: 1); on the command line: --learning-rate, and ektm train --clip-norm 1.',
    );
    model.dispose();
  });

  it('NonFiniteLossError is a TrainingDivergedError too and quotes the learning rate with the same advice', () => {
    const error = new NonFiniteLossError('click', 0, 2, Number.NaN, undefined, 0.5);
    expect(error).toBeInstanceOf(TrainingDivergedError);
    expect(error.name).toBe('NonFiniteLossError');
    expect(error.message).toBe(
      'train: loss term "click" is NaN at epoch 1, step 3; training stopped. No checkpoint was written before it. Try a smaller learningRate (it is 0.5) or set clipNorm (e.g. clipNorm: 1); on the command line: --learning-rate, and ektm train --clip-norm 1.',
    );
  });
});
