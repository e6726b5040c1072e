// The EKTM benchmark: every EKTM variant, and the same backbone without the EKTM blocks, on a dataset's `ektm`
// task set; several seeds; the best epoch is chosen on validation (mean AUC of the target tasks, core's early
// stopping with restoreBestWeights), and the test split is scored once, at the end.
//
//   npx vitest run --config packages/model/bench/vitest.bench.config.ts
//
// Env: DATASET (census-income | synthetic; default census-income), DATA_DIR (default ../shared/data), MODELS (comma
// list; default backbone-only and every model of EKTM_MODELS), SEEDS (default 1,2,3), EPOCHS (default 6), BATCH
// (default 1024), LR (default 0.003), OUT (one JSON line per run; default out/ektm-bench.jsonl; the mean ± sd table goes
// to the same name with .md). EKTM_QUICK=1 makes it a smoke run: 2,000 rows per file, one epoch, the first seed.
// The baselines run through `ektm compare` in @ektm/cli, whose model registry holds EKTM_MODELS too.
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { it } from 'vitest';
import { buildMultiTaskModel, evaluate, ModelRegistry, train, type FeatureSpec, type MultiTaskModel, type TaskSpec } from '@ektm/core';
import { loadDataset } from '@ektm/datasets';
import { EKTM_MODELS, ektmBackbone, inferEktmRoles } from '../src/index.js';

const env = process.env;
const DATASET = env.DATASET ?? 'census-income';
const REGISTRY = new ModelRegistry(EKTM_MODELS);
const MODELS = (env.MODELS ?? ['backbone-only', ...REGISTRY.names()].join(',')).split(',');
const QUICK = env.EKTM_QUICK === '1';
const SEEDS = (env.SEEDS ?? '1,2,3')
  .split(',')
  .map(Number)
  .slice(0, QUICK ? 1 : undefined);
const EPOCHS = QUICK ? 1 : Number(env.EPOCHS ?? 6);
const BATCH = Number(env.BATCH ?? 1024);
const LR = Number(env.LR ?? 0.003);
const OUT = env.OUT ?? 'out/ektm-bench.jsonl';
const TABLE = OUT.replace(/\.jsonl?$/, '') + '.md';

/** `backbone-only`: EKTM's shared-bottom backbone (with its per-task layer) and towers, without the three blocks. */
function build(name: string, features: FeatureSpec[], tasks: TaskSpec[], seed: number): MultiTaskModel {
  if (name === 'backbone-only') {
    return buildMultiTaskModel({ name, features, tasks, seed, backbone: ektmBackbone('shared-bottom'), tower: { units: [32] } });
  }
  return REGISTRY.build(name, { features, tasks, seed });
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: number[]) => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));

it(`EKTM benchmark on ${DATASET}`, async () => {
  mkdirSync(dirname(OUT), { recursive: true });
  const data = await loadDataset(DATASET, {
    dataDir: env.DATA_DIR ?? '../shared/data',
    taskSet: 'ektm',
    ...(QUICK ? { maxRowsPerFile: 2000, simulator: { trainRows: 2000 } } : {}),
  });
  if (!data.splits.test) throw new Error(`${DATASET}: no test split`);
  const { targets } = inferEktmRoles(data.tasks);
  const results: Record<string, number[][]> = {};
  const total = SEEDS.length * MODELS.length;
  const started = performance.now();
  let done = 0;
  for (const seed of SEEDS) {
    for (const name of MODELS) {
      // A line per run with the time left, so that a long benchmark is never silent.
      const left = done ? ` (about ${Math.round((((performance.now() - started) / done) * (total - done)) / 1000)} s left)` : '';
      process.stderr.write(`run ${done + 1} of ${total}: ${name} seed ${seed}${left}\n`);
      const model = build(name, data.features, data.tasks, seed);
      const run = await train(model, {
        train: data.splits.train,
        validation: data.splits.validation,
        epochs: EPOCHS,
        batchSize: BATCH,
        learningRate: LR,
        seed,
        progress: 'none',
        earlyStopping: {
          monitor: { metric: 'auc', weights: Object.fromEntries(targets.map((t) => [t, 1])) },
          patience: EPOCHS,
          restoreBestWeights: true,
        },
      });
      const test = evaluate(model, data.splits.test);
      const aucs = targets.map((t) => test[t]!.auc!);
      const similarity = model.predict(data.splits.validation).diagnostics['router/similarity'];
      (results[name] ??= []).push(aucs);
      appendFileSync(
        OUT,
        JSON.stringify({
          dataset: DATASET,
          model: name,
          seed,
          bestEpoch: run.bestEpoch,
          validation: run.bestMonitor?.description,
          targets,
          testAuc: aucs,
          similarity: similarity ? Array.from(similarity.mean) : undefined,
          seconds: run.totalSeconds,
        }) + '\n',
      );
      model.dispose();
      done++;
    }
  }
  const lines = [`| model | ${targets.join(' | ')} | mean |`, `|---|${targets.map(() => '---|').join('')}---|`];
  for (const [name, runs] of Object.entries(results)) {
    const columns = [...targets.map((_, j) => runs.map((r) => r[j]!)), runs.map(mean)];
    lines.push(`| ${name} | ${columns.map((c) => `${mean(c).toFixed(4)} ± ${sd(c).toFixed(4)}`).join(' | ')} |`);
  }
  const table = `${DATASET} (ektm task set), test AUC, mean ± sd over seeds ${SEEDS.join(',')}\n\n${lines.join('\n')}\n`;
  writeFileSync(TABLE, table);
  process.stderr.write(`${table}wrote ${OUT} and ${TABLE}\n`);
});
