// EKTM trained with core's trainer on the `ektm` task sets of @ektm/datasets: the simulator (always) and the
// census-income data in ../shared/data (skipped visibly when absent, a failure under EKTM_REQUIRE_DATA=1).
import { describe, expect, it } from 'vitest';
import { evaluate, train } from '@ektm/core';
import { loadDataset } from '@ektm/datasets';
import { buildEktm, inferEktmRoles } from './index.js';
import { sharedData, SHARED_DATA_DIR } from '@ektm/testing';

const small = { embeddingDim: 4, backboneOptions: { bottom: { units: [32] }, taskLayer: { units: [16] } }, tower: { units: [16] } };

describe('EKTM on the simulator (parallel CVR tasks in the clicked space)', () => {
  it('trains with core trainer, selects on validation, and ranks every target well above chance on test', async () => {
    const data = await loadDataset('synthetic', { simulator: { seed: 3, trainRows: 6000, validationRows: 1500, testRows: 3000 } });
    const roles = inferEktmRoles(data.tasks);
    expect(roles.sources).toEqual(['click']);
    const model = buildEktm({ features: data.features, tasks: data.tasks, ...small, seed: 1 });
    const run = await train(model, {
      train: data.splits.train,
      validation: data.splits.validation,
      epochs: 3,
      batchSize: 256,
      learningRate: 0.01,
      seed: 1,
      progress: 'none',
      earlyStopping: {
        monitor: { metric: 'auc', weights: Object.fromEntries(roles.targets.map((t) => [t, 1])) },
        restoreBestWeights: true,
      },
    });
    expect(run.history.length).toBe(3);
    expect(run.history[2]!.losses['purchase/original']).toBeDefined();
    const test = evaluate(model, data.splits.test!);
    for (const target of roles.targets) {
      expect(test[target]!.space).toBe('parent');
      expect(test[target]!.auc!).toBeGreaterThan(0.6);
    }
    const similarity = model.predict(data.splits.validation).diagnostics['router/similarity']!;
    expect(similarity.shape).toEqual([3, 3]);
    for (let i = 0; i < 3; i++)
      expect(similarity.mean[i * 3]! + similarity.mean[i * 3 + 1]! + similarity.mean[i * 3 + 2]!).toBeCloseTo(1, 4);
    model.dispose();
  });
});

const census = sharedData('census-income-kdd/census-income.test.gz');
describe.skipIf(!census)('EKTM on census-income (fullyear → income, gains, dividends)', () => {
  it('trains one epoch on a slice and ranks the sparse targets well', async () => {
    const data = await loadDataset('census-income', { dataDir: SHARED_DATA_DIR, taskSet: 'ektm', maxRowsPerFile: 20000 });
    expect(inferEktmRoles(data.tasks)).toEqual({ sources: ['fullyear'], targets: ['income', 'gains', 'dividends'] });
    const model = buildEktm({ features: data.features, tasks: data.tasks, ...small, seed: 1 });
    await train(model, { train: data.splits.train, epochs: 1, batchSize: 512, learningRate: 0.005, seed: 1, progress: 'none' });
    const test = evaluate(model, data.splits.test!);
    expect(test.income!.auc!).toBeGreaterThan(0.85);
    expect(test.dividends!.auc!).toBeGreaterThan(0.75);
    model.dispose();
  });
});
