/**
 * Runs a model of the zoo on one backend, for parity tests between backends: tiny models (registry defaults,
 * embedding dimension 4, 32-row batches of the bench's synthetic data), built with the same seed on each backend,
 * predicting, training with the trainer's own TrainStep, predicting again; every value read back with await data()
 * (WebGPU in Node cannot read synchronously).
 */
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { createLossWeighting, createOptimizer, tableInputs, TrainStep, type EncodedTable, type MultiTaskModel } from '@ektm/core';
import { MODELS, referenceTaskNames, referenceTasks, syntheticBatches } from '@ektm/cli';

const ROWS = 32;
const FIELDS = 4;
const VOCABULARY = 50;

/** The model on the tiny workload: registry defaults, its plan for the tasks (ESMM's funnel, …), dimension 4. */
function buildTiny(name: string): MultiTaskModel {
  const tasks = referenceTasks(name);
  const plan = MODELS.plan(name, tasks);
  if (!plan.ok) throw new Error(`${name}: ${plan.reason}`);
  const features = Array.from({ length: FIELDS }, (_, i) => ({ name: `f${i}`, type: 'categorical' as const, vocabularySize: VOCABULARY }));
  return MODELS.build(name, { features, tasks, embeddingDim: 4, seed: 0, ...plan.options });
}

/** Batches with every label the model reads (the workload's two first, as `ektm bench` makes them). */
function batchesFor(model: MultiTaskModel, count: number): EncodedTable[] {
  const labels = [...new Set([...referenceTaskNames(), ...model.spec.tasks.map((t) => t.label)])];
  return syntheticBatches({ count, rows: ROWS, fields: FIELDS, vocabularySize: VOCABULARY, tasks: labels, seed: 7 });
}

/** Every probability output of the model on a batch, read back asynchronously. */
async function probabilities(model: MultiTaskModel, batch: EncodedTable): Promise<Float32Array[]> {
  const inputs = tableInputs(batch);
  const keys = model.spec.outputs.filter((k) => k.startsWith('prob:'));
  const outs = tf.tidy(() => {
    const result = model.forward(inputs, false);
    return keys.map((k) => tf.reshape(result[k]!, [-1]));
  });
  const values = (await Promise.all(outs.map((t) => t.data()))) as Float32Array[];
  tf.dispose([...outs, inputs.categorical, ...(inputs.numeric ? [inputs.numeric] : [])]);
  return values;
}

/** Trains `steps` steps of the trainer's TrainStep (Adam 1e-2) on `batches`; returns every step's losses. */
async function train(model: MultiTaskModel, batches: EncodedTable[], steps: number): Promise<Float32Array[]> {
  const terms = model.spec.lossTerms;
  const weighting = createLossWeighting(
    'fixed',
    terms,
    terms.map((t) => t.weight),
  );
  const optimizer = createOptimizer('adam', 1e-2);
  const step = new TrainStep(model, terms, weighting, optimizer, { weightDecay: 0, learningRate: 1e-2 });
  const losses: Float32Array[] = [];
  try {
    for (let i = 0; i < steps; i++) {
      const values = step.run(batches[i % batches.length]!);
      losses.push((await values.data()) as Float32Array);
      values.dispose();
    }
  } finally {
    optimizer.dispose();
    weighting.dispose();
  }
  return losses;
}

export interface Run {
  before: Float32Array[];
  losses: Float32Array[];
  after: Float32Array[];
}

/** Builds the model on `backend`, predicts, trains `steps` steps, predicts again. */
export async function runOn(backend: string, name: string, steps: number, batchCount = 1): Promise<Run> {
  await tf.setBackend(backend);
  const model = buildTiny(name);
  try {
    const batches = batchesFor(model, batchCount + 1);
    const heldOut = batches[batchCount]!;
    const before = await probabilities(model, heldOut);
    const losses = await train(model, batches.slice(0, batchCount), steps);
    const after = await probabilities(model, heldOut);
    return { before, losses, after };
  } finally {
    model.dispose();
  }
}

/** Largest absolute difference over arrays of equal shapes. */
export function maxDifference(a: Float32Array[], b: Float32Array[]): number {
  expect(a.map((x) => x.length)).toEqual(b.map((x) => x.length));
  let worst = 0;
  a.forEach((x, i) => x.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - b[i]![j]!)))));
  return Number.isNaN(worst) ? Infinity : worst;
}
