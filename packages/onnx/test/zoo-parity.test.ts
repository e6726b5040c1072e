/**
 * The exported graph on onnxruntime-node agrees with ektm's own predict on the same raw rows, for every model of
 * the zoo (baselines and EKTM variants) and for a custom composition, each trained for a few steps, saved, loaded
 * back and exported from the loaded model (the path of `ektm export`).
 */
import { join } from 'node:path';
import { BASELINE_MODELS, ProgressiveLayeredExtraction } from '@ektm/baselines';
import { buildMultiTaskModel, loadModel, ModelRegistry, saveModel, type MultiTaskModel, type TaskSpec } from '@ektm/core';
import { TaskEnhancer } from '@ektm/enhancer';
import { EKTM_MODELS } from '@ektm/model';
import { routedKey, TaskRouter } from '@ektm/router';
import { TaskTransmitter } from '@ektm/transmitter';
import { afterAll, describe, expect, it } from 'vitest';
import { compareOnnxWithPredict, exportOnnx } from '../src/index.js';
import { rawRecords, tempFolder, tinyData, trainBriefly } from './fixtures.js';

const TOLERANCE = 1e-5;
const folder = tempFolder('ektm-onnx-zoo-');
const results: Array<{ model: string; tasks: number; max: number }> = [];

afterAll(() => {
  folder.remove();
  // The parity figures, one line per model (also quoted in docs/serving.md).
  console.log(results.map((r) => `${r.model.padEnd(26)} ${r.tasks} tasks  max |onnx − predict| ${r.max.toExponential(2)}`).join('\n'));
});

/** Every model of the zoo by name, as the `ektm` command knows them: the baselines, then EKTM and its variants. */
const zoo = new ModelRegistry([...BASELINE_MODELS, ...EKTM_MODELS]);

/** EKTM's router, a transmitter and an enhancer per target on a PLE backbone, composed directly. */
function customComposition(features: MultiTaskModel['spec']['features'], tasks: TaskSpec[]): MultiTaskModel {
  const targets = ['purchase', 'cart', 'favorite'];
  return buildMultiTaskModel({
    name: 'custom-ple-ektm',
    features,
    tasks,
    embeddingDim: 4,
    backbone: (ctx) => new ProgressiveLayeredExtraction({ tasks: ctx.towerTasks, levels: 2, expert: { units: [16] }, seed: ctx.seed }),
    blocks: [
      (ctx) => new TaskRouter({ sources: ['click'], targets, similarity: 'dot', seed: ctx.seed, name: 'router' }),
      (ctx) => targets.map((task, i) => new TaskTransmitter({ task, routedKey: routedKey(task), kind: 'gated-mlp', seed: ctx.seed + i })),
      (ctx) => targets.map((task, i) => new TaskEnhancer({ task, fusion: 'gated-residual', originalHidden: [8], seed: ctx.seed + i })),
    ],
    tower: { units: [8] },
    seed: 3,
  });
}

type Builder = (options: { features: MultiTaskModel['spec']['features']; tasks: TaskSpec[] }) => MultiTaskModel;
const builders: Array<[string, Builder]> = [
  ...zoo.names().map((name): [string, Builder] => [
    name,
    (o) => {
      // The registry adapts a model to the task set as `ektm compare` does (ESMM and ESCM2: the click → purchase funnel).
      const plan = zoo.plan(name, o.tasks);
      if (!plan.ok) throw new Error(`${name} cannot run on the simulator's tasks: ${plan.reason}`);
      return zoo.build(name, { ...o, seed: 1, embeddingDim: 4, ...plan.options });
    },
  ]),
  ['custom: PLE + router + transmitters + enhancers', (o) => customComposition(o.features, o.tasks)],
];

describe('ONNX export parity with predict, on raw rows', () => {
  it('covers every model of the zoo', () => {
    expect(zoo.names('baseline')).toEqual(
      expect.arrayContaining(['single-task', 'shared-bottom', 'omoe', 'mmoe', 'ple', 'esmm', 'escm2', 'aitm']),
    );
    expect(zoo.names('ektm')).toEqual(expect.arrayContaining(['ektm', 'ektm-no-router', 'ektm-uniform', 'ektm-mmoe', 'ektm-ple']));
    expect(builders.map(([name]) => name)).toEqual([...zoo.names(), 'custom: PLE + router + transmitters + enhancers']);
  });

  it.each(builders)('%s', async (name, build) => {
    const data = await tinyData();
    const table = data.preprocessor.encodeRows(rawRecords());
    const model = build({ features: data.features, tasks: data.tasks });
    const before = model.predict(table).tasks;
    await trainBriefly(model, data.splits.train);
    const trained = model.predict(table).tasks;
    // Trained: the weights moved away from their initial values.
    expect(Object.keys(trained).some((t) => trained[t]!.some((p, i) => Math.abs(p - before[t]![i]!) > 1e-4))).toBe(true);

    const dir = join(folder.dir, name.replace(/\W+/g, '-'));
    await saveModel(model, dir, { preprocessing: data.preprocessor.toJSON() });
    const loaded = await loadModel(dir);
    try {
      const exported = exportOnnx(loaded.model);
      expect(exported.outputs.map((o) => o.name)).toEqual(model.spec.tasks.map((t) => t.name));
      const parity = await compareOnnxWithPredict(model, exported, table);
      results.push({ model: name, tasks: model.spec.tasks.length, max: parity.max });
      expect(parity.rows).toBe(table.rows);
      for (const [task, diff] of Object.entries(parity.maxAbsDiff)) expect(diff, `${name}: ${task}`).toBeLessThanOrEqual(TOLERANCE);
    } finally {
      loaded.model.dispose();
      model.dispose();
    }
  });
});
