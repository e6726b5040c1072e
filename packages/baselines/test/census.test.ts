// Every model of the zoo on the census `mmoe` task set (income, marital) through core's trainer: validation AUCs
// far above chance, and a save/load through core's persistence that predicts identically. A test, not the
// benchmark: 20,000 training rows, one epoch, small networks (bench/ reports the full numbers).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  evaluate,
  loadModel,
  saveModel,
  takeRows,
  train,
  type EncodedTable,
  type FeatureSpec,
  type ModelDefinition,
  type MultiTaskModel,
  type TaskSpec,
} from '@ektm/core';
import { loadDataset } from '@ektm/datasets';
import { beforeAll, describe, expect, it } from 'vitest';
import { BASELINE_MODELS } from '@ektm/baselines';
import { sharedData } from '@ektm/testing';

const file = sharedData('census-income-kdd/census-income.test.gz');

/** Small sizes, each given to the models whose builder takes it. */
const SIZES: Record<string, unknown> = {
  bottom: { units: [32] },
  experts: 4,
  expert: { units: [32] },
  levels: 1,
  sharedExperts: 2,
  taskExperts: 1,
  backboneOptions: { bottom: { units: [32] } },
};

/**
 * The options of a model on census income/marital: small sizes, and for the funnel models (ESMM, ESCM2), which cannot
 * run on this parallel task set as it is, the explicit pair marital → income.
 */
function censusOptions(definition: ModelDefinition, tasks: TaskSpec[]): Record<string, unknown> {
  const own: Record<string, unknown> = Object.fromEntries(Object.entries(SIZES).filter(([key]) => key in definition.options));
  if (!definition.supports(tasks).ok && 'click' in definition.options) Object.assign(own, { click: 'marital', conversion: 'income' });
  return own;
}

/** The task that scores a label over every row: ESMM and ESCM2 predict income as their CTCVR product. */
function scoringTask(model: MultiTaskModel, label: string): string {
  return model.spec.tasks.find((t) => (t.label ?? t.name) === label && t.parent === undefined)!.name;
}

describe.skipIf(!file)('the zoo on census income (task set mmoe)', () => {
  let data: { features: FeatureSpec[]; tasks: TaskSpec[]; train: EncodedTable; validation: EncodedTable };

  beforeAll(async () => {
    const loaded = await loadDataset('census-income', { dataDir: join(file!, '..', '..'), taskSet: 'mmoe' });
    expect(loaded.tasks.map((t) => t.name)).toEqual(['income', 'marital']);
    data = {
      features: loaded.features,
      tasks: loaded.tasks,
      train: takeRows(
        loaded.splits.train,
        Array.from({ length: 20_000 }, (_, i) => i * 3),
      ),
      validation: loaded.splits.validation,
    };
  });

  for (const definition of BASELINE_MODELS) {
    const name = definition.name;
    it(`${name}: income and marital AUC > 0.8 on validation; reloads and predicts identically`, async () => {
      // AITM's towers are logistic heads (its backbone is the tower); the others get a small one.
      const tower = { units: 'tower' in definition.options ? [] : [16] };
      const model = definition.build({
        features: data.features,
        tasks: data.tasks,
        seed: 1,
        embeddingDim: 4,
        tower,
        ...censusOptions(definition, data.tasks),
      });
      await train(model, { train: data.train, epochs: 1, batchSize: 256, learningRate: 0.005, progress: 'none', seed: 1 });
      const metrics = evaluate(model, data.validation);
      const auc = { income: metrics[scoringTask(model, 'income')]!.auc!, marital: metrics[scoringTask(model, 'marital')]!.auc! };
      console.info(`census ${name}: income AUC ${auc.income.toFixed(4)}, marital AUC ${auc.marital.toFixed(4)}`);
      expect(auc.income).toBeGreaterThan(0.8);
      expect(auc.marital).toBeGreaterThan(0.8);

      const dir = mkdtempSync(join(tmpdir(), `ektm-baselines-${name}-`));
      try {
        await saveModel(model, join(dir, 'model'));
        const loaded = await loadModel(join(dir, 'model'));
        expect(loaded.model.spec).toEqual(model.spec);
        const rows = takeRows(
          data.validation,
          Array.from({ length: 2000 }, (_, i) => i),
        );
        const before = model.predict(rows);
        const after = loaded.model.predict(rows);
        for (const key of Object.keys(before.outputs)) expect(after.outputs[key]).toEqual(before.outputs[key]);
        loaded.model.dispose();
      } finally {
        rmSync(dir, { recursive: true, force: true });
        model.dispose();
      }
    });
  }
});
