// Every model of the zoo on the census `mmoe` task set (income, marital) through core's trainer: validation AUCs
// far above chance, and a save/load through core's persistence that predicts identically. A test, not the
// benchmark: 20,000 training rows, one epoch, small networks (bench/ reports the full numbers).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluate, loadModel, saveModel, takeRows, train, type EncodedTable, type FeatureSpec, type TaskSpec } from '@ektm/core';
import { loadDataset } from '@ektm/datasets';
import { beforeAll, describe, expect, it } from 'vitest';
import { BASELINE_NAMES, BASELINES, type BaselineName } from '@ektm/baselines';
import { sharedData } from '@ektm/testing';

const file = sharedData('census-income-kdd/census-income.test.gz');

/** Small sizes for every model, and for ESMM/ESCM2 the pair they need on a task set that is not a funnel. */
const OPTIONS: Record<BaselineName, Record<string, unknown>> = {
  'single-task': { bottom: { units: [32] } },
  'shared-bottom': { bottom: { units: [64] } },
  omoe: { experts: 4, expert: { units: [32] } },
  mmoe: { experts: 4, expert: { units: [32] } },
  ple: { levels: 1, sharedExperts: 2, taskExperts: 1, expert: { units: [32] } },
  esmm: { click: 'marital', conversion: 'income', backboneOptions: { bottom: { units: [32] } } },
  escm2: { click: 'marital', conversion: 'income', backboneOptions: { bottom: { units: [32] } } },
  aitm: { backboneOptions: { bottom: { units: [32, 16] } }, tower: { units: [] } },
};

/** Which task's predictions score each census label (ESMM/ESCM2 predict income as the CTCVR product). */
const SCORED_BY: Record<BaselineName, { income: string; marital: string }> = {
  'single-task': { income: 'income', marital: 'marital' },
  'shared-bottom': { income: 'income', marital: 'marital' },
  omoe: { income: 'income', marital: 'marital' },
  mmoe: { income: 'income', marital: 'marital' },
  ple: { income: 'income', marital: 'marital' },
  esmm: { income: 'ctcvr', marital: 'marital' },
  escm2: { income: 'ctcvr', marital: 'marital' },
  aitm: { income: 'income', marital: 'marital' },
};

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

  for (const name of BASELINE_NAMES) {
    it(`${name}: income and marital AUC > 0.8 on validation; reloads and predicts identically`, async () => {
      const model = BASELINES[name].build({
        features: data.features,
        tasks: data.tasks,
        seed: 1,
        embeddingDim: 4,
        tower: { units: [16] },
        ...OPTIONS[name],
      } as never);
      await train(model, { train: data.train, epochs: 1, batchSize: 256, learningRate: 0.005, progress: 'none', seed: 1 });
      const metrics = evaluate(model, data.validation);
      const auc = { income: metrics[SCORED_BY[name].income]!.auc!, marital: metrics[SCORED_BY[name].marital]!.auc! };
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
