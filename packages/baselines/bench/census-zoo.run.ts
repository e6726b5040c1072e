// Benchmark: every model of the zoo on census income (task set mmoe, the MMoE paper's group 1) with the full
// training split, the defaults of each builder, and core's trainer with early stopping on validation AUC. Prints
// one row per model: test AUC of income and marital (exact), epochs, training samples/s. Writes JSON when
// EKTM_BENCH_OUT is set. Run: `npx vitest run -c packages/baselines/bench/vitest.bench.config.ts census-zoo`.
// Environment: EKTM_BENCH_EPOCHS (default 5), EKTM_BENCH_MODELS (comma list, default all), EKTM_BENCH_SEED (default 1).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluate, ModelRegistry, train } from '@ektm/core';
import { loadDataset } from '@ektm/datasets';
import { it } from 'vitest';
import { BASELINE_MODELS } from '@ektm/baselines';
import { SHARED_DATA_DIR } from '@ektm/testing';

const registry = new ModelRegistry(BASELINE_MODELS);

/** ESMM and ESCM2 need a click → conversion pair; census has none, so marital plays the click and income the conversion. */
function pairFor(name: string, tasks: Parameters<typeof registry.plan>[1]): Record<string, string> {
  const definition = registry.get(name);
  return !definition.supports(tasks).ok && 'click' in definition.options ? { click: 'marital', conversion: 'income' } : {};
}

it('census zoo benchmark', async () => {
  const epochs = Number(process.env.EKTM_BENCH_EPOCHS ?? 5);
  const seed = Number(process.env.EKTM_BENCH_SEED ?? 1);
  const names = process.env.EKTM_BENCH_MODELS?.split(',') ?? registry.names();
  const data = await loadDataset('census-income', { dataDir: SHARED_DATA_DIR, taskSet: 'mmoe' });
  const rows: Array<Record<string, string | number>> = [];
  for (const name of names) {
    const model = registry.build(name, { features: data.features, tasks: data.tasks, seed, ...pairFor(name, data.tasks) });
    // ESMM and ESCM2 predict income as their CTCVR product, over every row.
    const incomeTask = model.spec.tasks.find((t) => (t.label ?? t.name) === 'income' && t.parent === undefined)!.name;
    const result = await train(model, {
      train: data.splits.train,
      validation: data.splits.validation,
      epochs,
      batchSize: 1024,
      learningRate: 0.002,
      earlyStopping: { monitor: { weights: { [incomeTask]: 1, marital: 1 } }, patience: 2 },
      progress: 'none',
      seed,
    });
    const test = evaluate(model, data.splits.test!);
    const row = {
      model: name,
      income: Number(test[incomeTask]!.auc!.toFixed(4)),
      marital: Number(test.marital!.auc!.toFixed(4)),
      epochs: result.history.length,
      bestEpoch: result.bestEpoch ?? -1,
      samplesPerSecond: Math.round(result.samplesPerSecond),
      parameters: model.model.countParams(),
    };
    rows.push(row);
    console.info(JSON.stringify(row));
    model.dispose();
  }
  console.info(
    [
      '| model | income AUC | marital AUC | epochs (best) | train samples/s | parameters |',
      '|---|---|---|---|---|---|',
      ...rows.map(
        (r) =>
          `| ${r.model} | ${r.income} | ${r.marital} | ${r.epochs} (${Number(r.bestEpoch) + 1}) | ${r.samplesPerSecond} | ${r.parameters} |`,
      ),
    ].join('\n'),
  );
  if (process.env.EKTM_BENCH_OUT)
    writeFileSync(join(process.env.EKTM_BENCH_OUT), JSON.stringify({ dataset: 'census-income/mmoe', epochs, seed, rows }, null, 2));
});
