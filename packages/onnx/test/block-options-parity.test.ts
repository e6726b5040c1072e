/**
 * Parity of the emitters with the blocks' own computation for the options the zoo does not use: every router
 * similarity (with and without the self term, with projections, without sources, with one target), every transmitter
 * kind, every enhancer fusion, batch and layer norm and every activation in dense stacks, deeper and shared-gate
 * experts, CGC and three-level PLE (each level its own expert widths), ESCM2's doubly robust tower, AITM, shared and mixed-width embeddings, and a
 * product head. Diagnostics and auxiliary heads are compared too, as extra outputs.
 */
import { AitmTransfer, CounterfactualCvrTower, MixtureOfExperts, ProgressiveLayeredExtraction, SingleTaskBackbone } from '@ektm/baselines';
import {
  buildMultiTaskModel,
  Mlp,
  seededRandom,
  SharedBottom,
  tableInputs,
  type BlockOption,
  type EncodedTable,
  type FeatureSpec,
  type TaskSpec,
} from '@ektm/core';
import { ENHANCER_FUSIONS, TaskEnhancer } from '@ektm/enhancer';
import { ROUTER_SIMILARITIES, routedKey, TaskRouter } from '@ektm/router';
import { TaskTransmitter, TRANSMITTER_KINDS } from '@ektm/transmitter';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { exportOnnx, onnxFeeds, randomEncodedTable, runOnnx } from '../src/index.js';
import { trainBriefly } from './fixtures.js';

const TOLERANCE = 1e-5;
/** The router, transmitter and enhancer options the compositions used, checked by the last test. */
const covered = new Set<string>();

const features: FeatureSpec[] = [
  { name: 'query', type: 'categorical', vocabularySize: 7, embeddingDim: 3, sharedEmbedding: 'terms' },
  { name: 'title', type: 'categorical', vocabularySize: 7, embeddingDim: 3, sharedEmbedding: 'terms' },
  { name: 'shop', type: 'categorical', vocabularySize: 11 },
  { name: 'slot', type: 'categorical', vocabularySize: 5, embeddingDim: 2 },
  { name: 'price', type: 'numeric' },
  { name: 'age', type: 'numeric' },
];
const tasks: TaskSpec[] = [
  { name: 'click' },
  { name: 'purchase', parent: 'click' },
  { name: 'cart', parent: 'click' },
  { name: 'ctcvr', product: ['click', 'purchase'], label: 'purchase' },
];

interface Composition {
  name: string;
  backbone: BlockOption;
  blocks: BlockOption[];
  tower: { units: number[]; normalization?: 'batch' | 'layer'; activation?: 'sigmoid'; dropout?: number };
  extraOutputs: string[];
}

const compositions: Composition[] = [
  {
    name: 'batch-norm shared bottom, layer-norm task layers, affinity router without self, mlp transmitters, residual enhancers',
    backbone: (ctx) => [
      new SharedBottom({ tasks: ctx.towerTasks, bottom: { units: [16, 12], normalization: 'batch', activation: 'elu' }, seed: ctx.seed }),
      ...ctx.towerTasks.map(
        (task, i) =>
          new Mlp({ key: task, units: [12], normalization: 'layer', activation: 'relu6', seed: ctx.seed + i, name: `layer_${task}` }),
      ),
    ],
    blocks: [
      (ctx) =>
        new TaskRouter({ sources: ['click'], targets: ['purchase', 'cart'], similarity: 'affinity', includeSelf: false, seed: ctx.seed }),
      (ctx) =>
        ['purchase', 'cart'].map(
          (task, i) =>
            new TaskTransmitter({ task, kind: 'mlp', units: [10, 12], activation: 'leakyrelu', activateLast: true, seed: ctx.seed + i }),
        ),
      (ctx) =>
        ['purchase', 'cart'].map(
          (task, i) =>
            new TaskEnhancer({ task, fusion: 'residual', originalHidden: [], originalActivation: 'sigmoid', seed: ctx.seed + i }),
        ),
    ],
    tower: { units: [8], normalization: 'batch', activation: 'sigmoid', dropout: 0.2 },
    extraOutputs: ['diag:router/similarity', 'prob:cart/original'],
  },
  {
    name: 'OMoE with deeper experts, dot router with projections and without self, identity transmitters, concat-MLP enhancers',
    backbone: (ctx) =>
      new MixtureOfExperts({
        tasks: ctx.towerTasks,
        gating: 'shared',
        experts: 3,
        expert: { units: [16, 8], activation: 'elu', dropout: 0.1 },
        gateTemperature: 2,
        seed: ctx.seed,
      }),
    blocks: [
      (ctx) =>
        new TaskRouter({
          sources: ['click'],
          targets: ['purchase', 'cart'],
          similarity: 'dot',
          includeSelf: false,
          projectionUnits: 6,
          temperature: 0.5,
          stopGradientSources: true,
          seed: ctx.seed,
        }),
      () => ['purchase', 'cart'].map((task) => new TaskTransmitter({ task, kind: 'identity' })),
      (ctx) =>
        ['purchase', 'cart'].map((task, i) => new TaskEnhancer({ task, fusion: 'concat-mlp', fusionUnits: [12, 8], seed: ctx.seed + i })),
    ],
    tower: { units: [] },
    extraOutputs: ['diag:mmoe/gates', 'diag:router/similarity', 'prob:purchase/original'],
  },
  {
    name: 'three-level PLE with its own expert widths per level, cosine router with two sources and one target without self, gated transmitter, gated-residual enhancer',
    backbone: (ctx) =>
      new ProgressiveLayeredExtraction({
        tasks: ctx.towerTasks,
        taskExperts: 1,
        sharedExperts: 3,
        expert: { units: [8, 8], activation: 'elu' },
        levelUnits: [[8, 8], [6], [5, 8]], // three levels, each its own expert widths (the last 8: the transmitter's width)
        gateTemperature: 0.5,
        seed: ctx.seed,
      }),
    blocks: [
      (ctx) =>
        new TaskRouter({ sources: ['click', 'cart'], targets: ['purchase'], similarity: 'cosine', includeSelf: false, seed: ctx.seed }),
      (ctx) => new TaskTransmitter({ task: 'purchase', units: [12, 8], activation: 'sigmoid', seed: ctx.seed }),
      (ctx) => new TaskEnhancer({ task: 'purchase', seed: ctx.seed }),
    ],
    tower: { units: [8], normalization: 'layer' },
    extraOutputs: ['diag:ple/gates', 'diag:router/similarity'],
  },
  {
    name: 'CGC, uniform router without sources, cosine router with self, no-router transmitter',
    backbone: (ctx) =>
      new ProgressiveLayeredExtraction({
        tasks: ctx.towerTasks,
        levels: 1,
        taskExperts: 2,
        sharedExperts: 1,
        expert: { units: [8] },
        seed: ctx.seed,
      }),
    blocks: [
      (ctx) =>
        new TaskRouter({
          sources: [],
          targets: ['purchase', 'cart'],
          similarity: 'uniform',
          seed: ctx.seed,
          name: 'uniform_router',
          diagnostic: 'uniform',
        }),
      (ctx) =>
        new TaskRouter({
          sources: [],
          targets: ['click', 'cart'],
          similarity: 'cosine',
          learnTemperature: false,
          temperature: 2,
          outputKeys: ['routed:click', 'routed:cart2', 'diag:cosine'],
          seed: ctx.seed,
          name: 'cosine_router',
        }),
      (ctx) => new TaskTransmitter({ task: 'purchase', routedKey: routedKey('purchase'), outputKey: 'purchase', seed: ctx.seed }),
      (ctx) => new TaskTransmitter({ task: 'click', routedKey: 'click', kind: 'mlp', seed: ctx.seed }),
      (ctx) => new TaskEnhancer({ task: 'click', seed: ctx.seed }),
      (ctx) => new TaskTransmitter({ task: 'cart', routedKey: 'routed:cart2', kind: 'gated-mlp', outputKey: 'cart', seed: ctx.seed }),
    ],
    tower: { units: [4] },
    extraOutputs: ['diag:uniform', 'diag:cosine', 'diag:ple/gates'],
  },
  {
    name: 'single-task networks, AITM along click → purchase → cart, ESCM2 doubly robust tower',
    backbone: (ctx) => new SingleTaskBackbone({ tasks: ctx.towerTasks, bottom: { units: [12, 8], activation: 'relu6' }, seed: ctx.seed }),
    blocks: [
      (ctx) => new AitmTransfer({ chain: ['click', 'purchase', 'cart'], dropout: 0.3, seed: ctx.seed }),
      (ctx) =>
        new CounterfactualCvrTower({ task: 'purchase', clickTask: 'click', counterfactual: 'dr', hidden: { units: [8] }, seed: ctx.seed }),
    ],
    tower: { units: [6] },
    extraOutputs: ['diag:aitm/attention', 'prob:purchase/imputation'],
  },
];

/** Random labels (click, and purchase and cart within clicks) for a random encoded table. */
function withLabels(table: EncodedTable, seed: number): EncodedTable {
  const random = seededRandom(seed);
  const click = Float32Array.from({ length: table.rows }, () => (random() < 0.4 ? 1 : 0));
  const child = () => click.map((c) => (c === 1 && random() < 0.5 ? 1 : 0));
  return { ...table, labels: { click, purchase: child(), cart: child() } };
}

describe('emitters agree with the blocks for every option', () => {
  it.each(compositions.map((c) => [c.name, c] as const))('%s', async (_name, composition) => {
    const model = buildMultiTaskModel({
      name: 'options',
      features,
      tasks,
      embeddingDim: 4,
      backbone: composition.backbone,
      blocks: composition.blocks,
      tower: composition.tower,
      seed: 7,
    });
    await trainBriefly(model, withLabels(randomEncodedTable(model, 256, 1), 2));
    const table = randomEncodedTable(model, 200, 3);
    const exported = exportOnnx(model, { extraOutputs: composition.extraOutputs });
    const got = await runOnnx(exported.model, onnxFeeds(exported, table));

    const inputs = tableInputs(table);
    const raw = model.model.predict(model.inputList(inputs)) as tf.Tensor[];
    const expected = Object.fromEntries(model.spec.outputs.map((key, i) => [key, raw[i]!.dataSync() as Float32Array]));
    tf.dispose([...raw, inputs.categorical, ...(inputs.numeric ? [inputs.numeric] : [])]);
    for (const output of exported.outputs) {
      const want = expected[output.key]!;
      const have = got[output.name]!;
      expect(have.length, output.name).toBe(want.length);
      let max = 0;
      for (let i = 0; i < want.length; i++) max = Math.max(max, Math.abs(want[i]! - have[i]!));
      expect(max, `${output.name}`).toBeLessThanOrEqual(TOLERANCE);
    }
    expect(exported.outputs.map((o) => o.name)).toEqual([...tasks.map((t) => t.name), ...composition.extraOutputs]);
    for (const layer of model.model.layers) {
      if (layer instanceof TaskRouter) covered.add(`router ${layer.similarity}${layer.includeSelf ? '' : ' without self'}`);
      if (layer instanceof TaskTransmitter) covered.add(`transmitter ${layer.kind}`);
      if (layer instanceof TaskEnhancer) covered.add(`enhancer ${layer.fusion}`);
    }
    model.dispose();
  });

  it('covered every router similarity (and the self term off), transmitter kind and enhancer fusion', () => {
    const list = [...covered];
    for (const similarity of ROUTER_SIMILARITIES)
      expect(
        list.some((c) => c.startsWith(`router ${similarity}`)),
        similarity,
      ).toBe(true);
    expect(list).toEqual(expect.arrayContaining(['router cosine', 'router cosine without self', 'router dot without self']));
    expect(list).toEqual(expect.arrayContaining(TRANSMITTER_KINDS.map((k) => `transmitter ${k}`)));
    expect(list).toEqual(expect.arrayContaining(ENHANCER_FUSIONS.map((f) => `enhancer ${f}`)));
  });
});
