/** The exported graph's interface (inputs, outputs, metadata), what it leaves out, and the errors of the export. */
import { BASELINE_MODELS, buildMmoe } from '@ektm/baselines';
import {
  buildMultiTaskModel,
  ConfigError,
  ModelRegistry,
  registerOnnxEmitter,
  SharedBottom,
  TaskBlock,
  type ConfigDict,
  type EncodedTable,
  type Shape,
} from '@ektm/core';
import { buildEktm, EKTM_MODELS } from '@ektm/model';
import * as tf from '@tensorflow/tfjs-core';
import { initializers, type LayerVariable } from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { compareOnnxWithPredict, describeOnnxModel, exportOnnx, onnxFeeds, registeredClassesOf, runOnnx } from './helpers.js';
import { tinyData } from './fixtures.js';

describe('exportOnnx', () => {
  it('names one input per feature and one output per task, and records the tasks in metadata_props', async () => {
    const data = await tinyData();
    const model = buildEktm({ features: data.features, tasks: data.tasks, embeddingDim: 4 });
    const exported = exportOnnx(model, { metadata: { owner: 'ranking-team' } });
    const file = describeOnnxModel(exported.model);
    expect(file.irVersion).toBe(8);
    expect(file.opsets['']).toBe(17);
    expect(file.inputs).toEqual(data.features.map((f) => f.name));
    expect(exported.inputs.map((i) => [i.name, i.dataType, i.shape])).toEqual(
      data.features.map((f) => [f.name, f.type === 'categorical' ? 'int64' : 'float32', ['batch']]),
    );
    expect(file.outputs).toEqual(['click', 'purchase', 'cart', 'favorite']);
    expect(exported.outputs.every((o) => o.dataType === 'float32' && o.shape.join() === 'batch')).toBe(true);
    expect(JSON.parse(file.metadata['ektm.tasks']!)).toEqual(['click', 'purchase', 'cart', 'favorite']);
    expect(JSON.parse(file.metadata['ektm.features']!)).toEqual(
      data.features.map((f) =>
        f.type === 'categorical' ? { name: f.name, type: f.type, vocabularySize: f.vocabularySize } : { name: f.name, type: f.type },
      ),
    );
    expect(file.metadata).toMatchObject({ 'ektm.model': 'ektm', owner: 'ranking-team' });
    model.dispose();
  });

  it('leaves out what the task outputs do not need (the enhancers original heads), unless asked for', async () => {
    const data = await tinyData();
    const model = buildEktm({ features: data.features, tasks: data.tasks, embeddingDim: 4 });
    const plain = exportOnnx(model);
    const withHeads = exportOnnx(model, { extraOutputs: ['prob:purchase/original', 'diag:router/similarity'] });
    expect(withHeads.initializerCount).toBeGreaterThan(plain.initializerCount);
    expect(withHeads.outputs.slice(4).map((o) => [o.name, o.shape])).toEqual([
      ['prob:purchase/original', ['batch']],
      ['diag:router/similarity', ['batch', 3, 3]],
    ]);
    expect(() => exportOnnx(model, { extraOutputs: ['prob:nothing'] })).toThrow(/"prob:nothing" is not an output of model "ektm"/);
    model.dispose();
  });

  it('scores a batch of one, and ids outside a vocabulary as the out-of-vocabulary id 0', async () => {
    const model = buildMmoe({
      features: [
        { name: 'item', type: 'categorical', vocabularySize: 5 },
        { name: 'x', type: 'numeric' },
      ],
      tasks: [{ name: 'click' }],
    });
    const exported = exportOnnx(model);
    const one: EncodedTable = {
      rows: 1,
      categorical: Int32Array.of(3),
      categoricalCount: 1,
      numeric: Float32Array.of(0.5),
      numericCount: 1,
      labels: {},
    };
    expect((await compareOnnxWithPredict(model, exported, one)).max).toBeLessThanOrEqual(1e-6);
    const zero = model.predict({ ...one, categorical: Int32Array.of(0) }).tasks.click![0]!;
    const { click } = await runOnnx(exported.model, { item: BigInt64Array.of(5n, -1n, 1000n), x: Float32Array.of(0.5, 0.5, 0.5) });
    for (const p of click!) expect(Math.abs(p - zero)).toBeLessThanOrEqual(1e-6);
    model.dispose();
  });

  it('has an emitter for every layer class of the zoo', () => {
    const features = [{ name: 'item', type: 'categorical' as const, vocabularySize: 5 }];
    const tasks = [{ name: 'click' }, { name: 'buy', parent: 'click' }];
    const zoo = new ModelRegistry([...BASELINE_MODELS, ...EKTM_MODELS]);
    const classes = registeredClassesOf(
      zoo.names().map((name) => {
        const plan = zoo.plan(name, tasks);
        if (!plan.ok) throw new Error(plan.reason);
        return zoo.build(name, { features, tasks, ...plan.options });
      }),
    );
    expect(classes.missing).toEqual([]);
    expect(classes.used).toEqual(
      [
        'EktmFeatureEmbedding',
        'EktmMlp',
        'EktmSharedBottom',
        'EktmTaskTower',
        'EktmProductHead',
        'EktmSingleTaskBackbone',
        'EktmMixtureOfExperts',
        'EktmProgressiveLayeredExtraction',
        'EktmAitmTransfer',
        'EktmCounterfactualCvrTower',
        'EktmTaskRouter',
        'EktmTaskTransmitter',
        'EktmTaskEnhancer',
      ].sort(),
    );
  });

  it('refuses a feature and a task of the same name, since both would name a graph value', () => {
    const model = buildMultiTaskModel({
      features: [{ name: 'click', type: 'categorical', vocabularySize: 3 }],
      tasks: [{ name: 'click' }],
      backbone: (ctx) => new SharedBottom({ tasks: ctx.towerTasks, bottom: { units: [2] }, seed: ctx.seed }),
    });
    expect(() => exportOnnx(model)).toThrow(/"click" names both a feature \(an ONNX input\) and a task \(an ONNX output\)/);
    model.dispose();
  });
});

/** A block of an application's own: every representation scaled by a learned factor per task. */
class LearnedScale extends TaskBlock {
  static readonly className = 'TestLearnedScale';
  private scales: LayerVariable[] = [];
  protected override buildBlock(inputShapes: Shape[]): void {
    this.scales = inputShapes.map((_, i) => this.addWeight(`scale${i}`, [], 'float32', initializers.constant({ value: 1.5 + i })));
  }
  protected override callBlock(inputs: tf.Tensor[]): tf.Tensor[] {
    return inputs.map((x, i) => tf.mul(x, this.scales[i]!.read()));
  }
  protected override blockOutputShapes(inputShapes: Shape[]): Shape[] {
    return inputShapes;
  }
  override getConfig(): ConfigDict {
    return super.getConfig();
  }
}
tf.serialization.registerClass(LearnedScale);

describe('a block of your own', () => {
  const build = () =>
    buildMultiTaskModel({
      features: [{ name: 'item', type: 'categorical', vocabularySize: 6 }],
      tasks: [{ name: 'click' }, { name: 'buy' }],
      backbone: (ctx) => new SharedBottom({ tasks: ctx.towerTasks, bottom: { units: [4] }, seed: ctx.seed }),
      blocks: [new LearnedScale({ inputKeys: ['click', 'buy'], outputKeys: ['click', 'buy'], name: 'scale' })],
    });

  it('without an emitter: a ConfigError naming its class and how to register one', () => {
    const model = build();
    expect(() => exportOnnx(model)).toThrow(ConfigError);
    expect(() => exportOnnx(model)).toThrow(
      /no ONNX emitter is registered for layer class "TestLearnedScale" \(layer "scale"\).*registerOnnxEmitter/s,
    );
    model.dispose();
  });

  it('with its emitter registered beside it, the composition exports and agrees with predict', async () => {
    registerOnnxEmitter<LearnedScale>(LearnedScale.className, (block, inputs, graph) =>
      inputs.map((x, i) => graph.op('Mul', [x, graph.weight(block['scales'][i]!, `${block.name}/scale${i}`)])),
    );
    const model = build();
    const table: EncodedTable = {
      rows: 6,
      categorical: Int32Array.of(0, 1, 2, 3, 4, 5),
      categoricalCount: 1,
      numeric: new Float32Array(0),
      numericCount: 0,
      labels: {},
    };
    const parity = await compareOnnxWithPredict(model, exportOnnx(model), table);
    expect(parity.max).toBeLessThanOrEqual(1e-6);
    const feeds = onnxFeeds(exportOnnx(model), table);
    expect(Object.keys(feeds)).toEqual(['item']);
    model.dispose();
  });

  it('an emitter that returns the wrong number of outputs, or leaves out one that is read, is named', () => {
    registerOnnxEmitter<LearnedScale>(LearnedScale.className, (_block, inputs) => [inputs[0]!]);
    const model = build();
    expect(() => exportOnnx(model)).toThrow(
      /the ONNX emitter of TestLearnedScale returned 1 outputs for layer "scale" \(TestLearnedScale\), which has 2/,
    );
    registerOnnxEmitter<LearnedScale>(LearnedScale.className, (_block, inputs) => [inputs[0]!, undefined]);
    expect(() => exportOnnx(model)).toThrow(/reads output 1 of layer "scale" \(TestLearnedScale\), which its ONNX emitter did not emit/);
    model.dispose();
  });
});
