// Every model of the zoo on the synthetic simulator's sequential pattern (task set esmm: click, cvr in the clicked
// space, ctcvr = click · cvr) through core's trainer: AUCs above chance and below the simulator's known optimum.
import { evaluate, takeRows, train } from '@ektm/core';
import { loadDataset, type LoadedDataset } from '@ektm/datasets';
import { beforeAll, describe, expect, it } from 'vitest';
import { BASELINE_MODELS } from '@ektm/baselines';

describe('the zoo on the synthetic funnel (task set esmm)', () => {
  let data: LoadedDataset;

  beforeAll(async () => {
    data = await loadDataset('synthetic', { taskSet: 'esmm' });
  });

  /** Small sizes, each given to the models whose builder takes it. */
  const sizes: Record<string, unknown> = {
    bottom: { units: [32] },
    expert: { units: [32] },
    levels: 1,
    backboneOptions: { bottom: { units: [32, 16] } },
  };

  for (const definition of BASELINE_MODELS) {
    const name = definition.name;
    it(`${name}: click and CTCVR AUC well above chance, never above the optimum`, async () => {
      const own = Object.fromEntries(Object.entries(sizes).filter(([key]) => key in definition.options));
      // AITM's towers are logistic heads by default (its backbone is the tower); the others get a small one.
      const tower = 'tower' in definition.options ? {} : { tower: { units: [16] } };
      const model = definition.build({ features: data.features, tasks: data.tasks, seed: 1, embeddingDim: 8, ...tower, ...own });
      const rows = takeRows(
        data.splits.train,
        Array.from({ length: 20_000 }, (_, i) => i * 2),
      );
      await train(model, { train: rows, epochs: 1, batchSize: 256, learningRate: 0.005, progress: 'none', seed: 1 });
      const metrics = evaluate(model, data.splits.validation);
      const optimum = data.optimalAuc!.validation!;
      console.info(
        `synthetic ${name}: ${Object.entries(metrics)
          .map(([t, m]) => `${t} ${m.auc!.toFixed(4)} (optimum ${optimum[t]!.toFixed(4)})`)
          .join(', ')}`,
      );
      for (const task of ['click', 'ctcvr']) {
        expect(metrics[task]!.auc!).toBeGreaterThan(0.6);
        expect(metrics[task]!.auc!).toBeLessThan(optimum[task]! + 0.01);
      }
      model.dispose();
    });
  }
});
