import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { evaluate } from './evaluate.js';
import { createLossWeighting } from './loss-weighting.js';
import { syntheticModel, syntheticTable, SYNTHETIC_TASKS } from './synthetic-problem.js';
import { train } from './train.js';
import { TrainStep } from './train-step.js';
import type { EncodedTable } from '../data/encoded-table.js';
import type { TableSource } from '../data/table-source.js';
import type { MultiTaskModel } from '../model/multi-task-model.js';

const trainTable = syntheticTable(4000, 1);
const validTable = syntheticTable(2000, 2, { groups: true });

function weightsOf(model: MultiTaskModel): Float32Array[] {
  return model.model.getWeights().map((w) => w.dataSync().slice() as Float32Array);
}

function layerWeights(model: MultiTaskModel, layerName: string): Float32Array[] {
  return model.model
    .getLayer(layerName)
    .getWeights()
    .map((w) => w.dataSync().slice() as Float32Array);
}

function maxAbsDiff(a: Float32Array[], b: Float32Array[]): number {
  let max = 0;
  a.forEach((x, i) => x.forEach((v, j) => (max = Math.max(max, Math.abs(v - b[i]![j]!)))));
  return max;
}

describe('train', () => {
  it('trains a shared-bottom click + CVR model: validation AUC rises well above 0.5 and losses fall', async () => {
    const model = syntheticModel(1);
    const result = await train(model, {
      train: trainTable,
      validation: validTable,
      epochs: 4,
      batchSize: 256,
      learningRate: 0.01,
      progress: 'none',
    });
    expect(result.history).toHaveLength(4);
    const first = result.history[0]!;
    const last = result.history[3]!;
    expect(last.losses.click!).toBeLessThan(first.losses.click!);
    expect(last.losses.cvr!).toBeLessThan(first.losses.cvr!);
    expect(last.losses.total).toBeCloseTo(last.losses.click! + last.losses.cvr!, 4);
    expect(last.validation!.click!.auc!).toBeGreaterThan(0.75);
    expect(last.validation!.cvr!.auc!).toBeGreaterThan(0.75);
    // The CVR task is scored in the clicked space, and also reports its entire-space AUC.
    expect(last.validation!.cvr!.space).toBe('parent');
    expect(last.validation!.cvr!.count).toBe(validTable.labels.click!.reduce((s, v) => s + v, 0));
    expect(last.validation!.cvr!.entireSpaceAuc).toBeDefined();
    expect(last.validation!.click!.gauc).toBeDefined();
    expect(last.steps).toBe(16);
    expect(last.rows).toBe(4000);
    expect(result.samplesPerSecond).toBeGreaterThan(0);
    expect(result.stopReason).toBe('epochs');
    expect(result.bestEpoch).toBeGreaterThanOrEqual(1);
    // evaluate() agrees with the trainer's last validation metrics (same weights, same predictions).
    const metrics = evaluate(model, validTable);
    expect(metrics.cvr!.auc).toBeCloseTo(last.validation!.cvr!.auc!, 10);
    model.dispose();
  });

  it('trains from a streaming TableSource whose chunks do not align with batches', async () => {
    const chunked: TableSource = {
      rows: 1000,
      async *chunks() {
        const t = syntheticTable(1000, 5);
        const { sliceTable } = await import('../data/encoded-table.js');
        for (let s = 0; s < 1000; s += 300) yield sliceTable(t, s, Math.min(s + 300, 1000));
      },
    };
    const model = syntheticModel(1);
    const seen: number[] = [];
    const result = await train(model, {
      train: chunked,
      epochs: 1,
      batchSize: 128,
      progress: 'none',
      callbacks: { onBatchEnd: (_s, logs) => void seen.push(logs.rows) },
    });
    expect(seen).toEqual([128, 128, 128, 128, 128, 128, 128, 104]);
    expect(result.history[0]!.rows).toBe(1000);
    model.dispose();
  });

  it('masks the CVR loss to the clicked space: labels of unclicked rows change neither the loss nor the update', () => {
    const batch = syntheticTable(256, 3);
    const altered: EncodedTable = {
      ...batch,
      labels: { ...batch.labels, buy: batch.labels.buy!.map((v, i) => (batch.labels.click![i] === 1 ? v : 1 - v)) },
    };
    const clickedChanged: EncodedTable = {
      ...batch,
      labels: { ...batch.labels, buy: batch.labels.buy!.map((v, i) => (batch.labels.click![i] === 1 ? 1 - v : v)) },
    };
    const oneStep = (table: EncodedTable) => {
      const model = syntheticModel(7);
      const optimizer = tf.train.sgd(0.5);
      const weighting = createLossWeighting('fixed', model.spec.lossTerms, [1, 1]);
      const losses = new TrainStep(model, model.spec.lossTerms, weighting, optimizer, { weightDecay: 0, learningRate: 0.5 }).run(table);
      const out = { losses: Array.from(losses.dataSync()), weights: weightsOf(model) };
      losses.dispose();
      optimizer.dispose();
      model.dispose();
      return out;
    };
    const base = oneStep(batch);
    const same = oneStep(altered);
    const different = oneStep(clickedChanged);
    expect(same.losses).toEqual(base.losses);
    expect(maxAbsDiff(same.weights, base.weights)).toBe(0);
    // Control: changing labels inside the clicked space does change the CVR loss and the weights.
    expect(different.losses[1]).not.toBeCloseTo(base.losses[1]!, 3);
    expect(maxAbsDiff(different.weights, base.weights)).toBeGreaterThan(1e-4);
  });

  it('does not train a task of weight 0 (in the task spec, or overridden by taskWeights)', async () => {
    const evalOnly = syntheticModel(2, [{ name: 'click' }, { name: 'cvr', label: 'buy', parent: 'click', weight: 0 }]);
    expect(evalOnly.spec.lossTerms.map((t) => t.name)).toEqual(['click']);
    const towerBefore = layerWeights(evalOnly, 'tower_cvr');
    const clickBefore = layerWeights(evalOnly, 'tower_click');
    const r1 = await train(evalOnly, {
      train: trainTable,
      validation: validTable,
      epochs: 1,
      batchSize: 512,
      learningRate: 0.01,
      progress: 'none',
    });
    expect(maxAbsDiff(layerWeights(evalOnly, 'tower_cvr'), towerBefore)).toBe(0);
    expect(maxAbsDiff(layerWeights(evalOnly, 'tower_click'), clickBefore)).toBeGreaterThan(1e-4);
    expect(r1.history[0]!.validation!.cvr).toBeDefined(); // still evaluated
    evalOnly.dispose();

    const overridden = syntheticModel(2);
    const before = layerWeights(overridden, 'tower_cvr');
    const r2 = await train(overridden, {
      train: trainTable,
      epochs: 1,
      batchSize: 512,
      learningRate: 0.01,
      taskWeights: { cvr: 0 },
      progress: 'none',
    });
    expect(maxAbsDiff(layerWeights(overridden, 'tower_cvr'), before)).toBe(0);
    expect(r2.history[0]!.losses.cvr).toBeGreaterThan(0); // still reported
    expect(r2.history[0]!.losses.total).toBeCloseTo(r2.history[0]!.losses.click!, 5);
    overridden.dispose();
  });

  it('is deterministic: the same seeds give identical weights and metrics; another shuffle seed does not', async () => {
    const run = async (seed: number) => {
      const model = syntheticModel(3, SYNTHETIC_TASKS, 0.2);
      const result = await train(model, {
        train: trainTable,
        validation: validTable,
        epochs: 2,
        batchSize: 512,
        learningRate: 0.01,
        seed,
        progress: 'none',
      });
      const out = { weights: weightsOf(model), metrics: result.history.map((h) => [h.losses, h.validation]) };
      model.dispose();
      return out;
    };
    const a = await run(11);
    const b = await run(11);
    const c = await run(12);
    expect(maxAbsDiff(a.weights, b.weights)).toBe(0);
    expect(b.metrics).toEqual(a.metrics);
    expect(maxAbsDiff(a.weights, c.weights)).toBeGreaterThan(1e-5);
  });

  it('leaks no tensors: the count is flat from step to step and back to the start after training', async () => {
    const model = syntheticModel(4);
    const counts: number[] = [];
    const before = tf.memory().numTensors;
    await train(model, {
      train: trainTable,
      validation: validTable,
      epochs: 2,
      batchSize: 256,
      lossReadEvery: 1,
      lossWeighting: 'uncertainty',
      clipNorm: 1,
      weightDecay: 0.01,
      progress: 'none',
      callbacks: { onBatchEnd: () => void counts.push(tf.memory().numTensors) },
    });
    expect(counts).toHaveLength(32);
    // The optimizer creates its state on the first step; from then on nothing accumulates.
    expect(new Set(counts.slice(1))).toEqual(new Set([counts[1]]));
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('reports progress: one line per epoch in lines mode, a redrawn bar in bar mode', async () => {
    const model = syntheticModel(5);
    let lines = '';
    await train(model, {
      train: trainTable,
      epochs: 2,
      batchSize: 1024,
      progress: 'lines',
      progressStream: { write: (s: string) => (lines += s) },
    });
    expect(lines.trim().split('\n')).toHaveLength(2);
    expect(lines).toMatch(/^epoch 1\/2 \| loss click \d\.\d{4} cvr \d\.\d{4} total \d\.\d{4} \| .*samples\/s/);
    let bar = '';
    await train(model, {
      train: trainTable,
      epochs: 1,
      batchSize: 1024,
      lossReadEvery: 1,
      progress: 'auto',
      progressStream: { isTTY: true, write: (s: string) => (bar += s) },
    });
    expect(bar).toContain('\r');
    expect(bar).toMatch(/epoch 1\/1 \[=+\] step 4 \| click \d\.\d{4} cvr .* samples\/s \| 0:00 left/);
    model.dispose();
  });

  it('validates options and names the offending option', async () => {
    const model = syntheticModel(6);
    await expect(train(model, { train: trainTable, optimizer: 'lbfgs' as never })).rejects.toThrow(
      /optimizer "lbfgs" is not allowed; use adam, adamw, sgd, adagrad, rmsprop/,
    );
    await expect(train(model, { train: trainTable, taskWeights: { ctr: 1 } })).rejects.toThrow(/taskWeights names "ctr".*click, cvr/);
    await expect(train(model, { train: trainTable, earlyStopping: {} })).rejects.toThrow(/needs a validation set/);
    await expect(train(model, { train: trainTable, validation: validTable, earlyStopping: { monitor: { task: 'ctr' } } })).rejects.toThrow(
      /unknown task "ctr"/,
    );
    await expect(train(model, { train: trainTable, batchSize: 0 })).rejects.toThrow(/batchSize must be a positive integer/);
    await expect(train(model, { train: trainTable, resume: true })).rejects.toThrow(/resume needs checkpointDir/);
    model.dispose();
  });
});
