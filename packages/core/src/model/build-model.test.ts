import * as tf from '@tensorflow/tfjs-core';
import { serialization } from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  buildMultiTaskModel,
  diagKey,
  getLossKind,
  Mlp,
  probKey,
  SharedBottom,
  tableInputs,
  TaskBlock,
  TaskTower,
  type ConfigDict,
  type EncodedTable,
  type FeatureSpec,
  type LossTermSpec,
  type Shape,
  type TaskBlockArgs,
} from '../index.js';
import { reloadThroughMemory } from '../persistence/test-models.js';

const features: FeatureSpec[] = [
  { name: 'user', type: 'categorical', vocabularySize: 10 },
  { name: 'item', type: 'categorical', vocabularySize: 20, embeddingDim: 4 },
  { name: 'price', type: 'numeric' },
];

function table(rows: number): EncodedTable {
  const categorical = new Int32Array(rows * 2);
  const numeric = new Float32Array(rows);
  const click = new Float32Array(rows);
  const buy = new Float32Array(rows);
  for (let i = 0; i < rows; i++) {
    categorical[2 * i] = i % 10;
    categorical[2 * i + 1] = (i * 7) % 20;
    numeric[i] = (i % 5) / 5;
    click[i] = i % 3 === 0 ? 1 : 0;
    buy[i] = click[i] === 1 ? i % 2 : Number.NaN;
  }
  return { rows, categorical, categoricalCount: 2, numeric, numericCount: 1, labels: { click, buy } };
}

const esmmTasks = [
  { name: 'click' },
  { name: 'cvr', label: 'buy', parent: 'click', weight: 0 },
  { name: 'ctcvr', label: 'buy', product: ['click', 'cvr'] },
];
const sharedBottom =
  (units = [16]) =>
  (ctx: { towerTasks: string[]; seed: number }) =>
    new SharedBottom({ tasks: ctx.towerTasks, bottom: { units }, seed: ctx.seed });

/**
 * A block that writes an auxiliary probability and a diagnostic and contributes a loss term, like an enhancer's
 * original head (`prob:<task>/aux`) and a router's gate weights (`diag:<name>`).
 */
class AuxiliaryBlock extends TaskBlock {
  static readonly className = 'EktmTestAuxiliary';
  readonly task: string;
  readonly lossOutput: string;
  constructor(args: Partial<TaskBlockArgs> & { task: string; lossOutput?: string }) {
    super({
      ...args,
      inputKeys: args.inputKeys ?? [args.task],
      outputKeys: args.outputKeys ?? [args.task, probKey(`${args.task}/aux`), diagKey('aux')],
    });
    this.task = args.task;
    this.lossOutput = args.lossOutput ?? probKey(`${args.task}/aux`);
  }
  protected override callBlock(inputs: tf.Tensor[]): tf.Tensor[] {
    const x = inputs[0]!;
    return [x, tf.sigmoid(tf.mean(x, 1, true)), tf.reshape(tf.softmax(x), [x.shape[0]!, 1, x.shape[1]!])];
  }
  protected override blockOutputShapes(shapes: Shape[]): Shape[] {
    const [batch, width] = shapes[0]!;
    return [
      [batch!, width!],
      [batch!, 1],
      [batch!, 1, width!],
    ];
  }
  override lossTerms(): LossTermSpec[] {
    return [{ name: `${this.task}/aux`, kind: 'bce', outputs: [this.lossOutput], task: this.task, weight: 0.5, role: 'auxiliary' }];
  }
  override getConfig(): ConfigDict {
    return { ...super.getConfig(), task: this.task, lossOutput: this.lossOutput };
  }
}
serialization.registerClass(AuxiliaryBlock);

/** A tower replacement that writes prob:<task> itself, so no TaskTower is added for that task. */
class ConstantHead extends TaskBlock {
  static readonly className = 'EktmTestConstantHead';
  protected override callBlock(inputs: tf.Tensor[]): tf.Tensor[] {
    return [tf.fill([inputs[0]!.shape[0]!, 1], 0.25)];
  }
  protected override blockOutputShapes(shapes: Shape[]): Shape[] {
    return [[shapes[0]![0]!, 1]];
  }
}
serialization.registerClass(ConstantHead);

describe('buildMultiTaskModel', () => {
  it('composes a shared-bottom model with a product task: outputs, loss terms, exact product', () => {
    const model = buildMultiTaskModel({ features, tasks: esmmTasks, backbone: sharedBottom(), tower: { units: [8] } });
    expect(model.spec.outputs).toEqual(['prob:click', 'prob:cvr', 'prob:ctcvr']);
    expect(model.spec.lossTerms).toEqual([
      { name: 'click', kind: 'bce', outputs: ['prob:click'], task: 'click', weight: 1, role: 'task' },
      { name: 'ctcvr', kind: 'bce', outputs: ['prob:ctcvr'], task: 'ctcvr', weight: 1, role: 'task' },
    ]);
    expect(model.spec.hasNumericInput).toBe(true);
    expect(model.taskNames).toEqual(['click', 'cvr', 'ctcvr']);
    expect(model.model.layers.map((l) => l.getClassName())).toEqual([
      'InputLayer',
      'InputLayer',
      'EktmFeatureEmbedding',
      'EktmSharedBottom',
      'EktmTaskTower',
      'EktmTaskTower',
      'EktmProductHead',
    ]);
    const t = table(30);
    const { tasks } = model.predict(t, { batchSize: 7 });
    for (let i = 0; i < 30; i++) expect(tasks.ctcvr![i]).toBe(Math.fround(tasks.click![i]! * tasks.cvr![i]!));
    model.dispose();
  });

  it('predicts the same in any batch size, and forward equals predict', () => {
    const model = buildMultiTaskModel({ features, tasks: esmmTasks, backbone: sharedBottom(), seed: 3 });
    const t = table(23);
    const a = model.predict(t, { batchSize: 5 });
    const b = model.predict(t, { batchSize: 100 });
    for (const task of model.taskNames) expect(Array.from(a.tasks[task]!)).toEqual(Array.from(b.tasks[task]!));
    const inputs = tableInputs(t);
    const out = model.forward(inputs, false);
    expect(Array.from(out['prob:click']!.dataSync())).toEqual(Array.from(a.tasks.click!));
    tf.dispose([...Object.values(out), inputs.categorical, inputs.numeric!]);
    model.dispose();
  });

  it('trains: the loss decreases; a training step does not leak tensors', () => {
    const model = buildMultiTaskModel({ features, tasks: esmmTasks, backbone: sharedBottom(), tower: { units: [8] }, seed: 1 });
    const t = table(30);
    const inputs = tableInputs(t);
    const y = tf.tensor1d(t.labels.click!);
    const mask = tf.onesLike(y);
    const bce = getLossKind('bce');
    const loss = () =>
      tf.tidy(() => bce({ outputs: [model.forward(inputs, true)['prob:click']!], label: y, mask, labels: {}, masks: {}, options: {} }));
    const opt = tf.train.adam(0.02);
    const first = loss().dataSync()[0]!;
    opt.minimize(loss);
    const before = tf.memory().numTensors;
    for (let s = 0; s < 10; s++) opt.minimize(loss);
    expect(tf.memory().numTensors).toBe(before);
    expect(loss().dataSync()[0]!).toBeLessThan(first);
    tf.dispose([inputs.categorical, inputs.numeric!, y, mask]);
    opt.dispose();
    model.dispose();
  });

  it('orders outputs: tasks in task order, then auxiliary probabilities, then diagnostics; collects block loss terms', () => {
    const model = buildMultiTaskModel({
      features,
      tasks: [{ name: 'b' }, { name: 'a', weight: 2 }],
      backbone: sharedBottom([8]),
      blocks: [new AuxiliaryBlock({ task: 'a', name: 'aux' })],
    });
    expect(model.spec.outputs).toEqual(['prob:b', 'prob:a', 'prob:a/aux', 'diag:aux']);
    expect(model.spec.lossTerms.map((t) => [t.name, t.weight, t.role])).toEqual([
      ['b', 1, 'task'],
      ['a', 2, 'task'],
      ['a/aux', 0.5, 'auxiliary'],
    ]);
    const result = model.predict(table(12), { batchSize: 5 });
    expect(Object.keys(result.outputs)).toEqual(['prob:b', 'prob:a', 'prob:a/aux']);
    expect(result.diagnostics.aux!.shape).toEqual([1, 8]);
    // A softmax's batch mean sums to one.
    expect(result.diagnostics.aux!.mean.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 5);
    model.dispose();
  });

  it('adds no tower for a task whose probability a block already wrote; forwards mse tasks', () => {
    const model = buildMultiTaskModel({
      features,
      tasks: [{ name: 'fixed' }, { name: 'score', loss: 'mse' }],
      backbone: sharedBottom([4]),
      blocks: [new ConstantHead({ inputKeys: ['fixed'], outputKeys: ['prob:fixed'] })],
    });
    expect(model.model.layers.filter((l) => l instanceof TaskTower).map((l) => l.name)).toEqual(['tower_score']);
    expect(model.spec.lossTerms.map((t) => t.kind)).toEqual(['bce', 'mse']);
    expect(Array.from(model.predict(table(3)).tasks.fixed!)).toEqual([0.25, 0.25, 0.25]);
    model.dispose();
  });

  it('accepts block factories that return several blocks, seeded from the model seed', () => {
    const make = (seed: number) =>
      buildMultiTaskModel({
        features,
        tasks: [{ name: 'x' }, { name: 'y' }],
        backbone: sharedBottom([4]),
        blocks: [(ctx) => ctx.towerTasks.map((task) => new Mlp({ key: task, units: [3], seed: ctx.seed, name: `mlp_${task}` }))],
        seed,
      });
    const [a, b, c] = [make(5), make(5), make(6)];
    expect(a.model.layers.map((l) => l.name)).toContain('mlp_y');
    const weights = (m: typeof a) => m.model.getWeights().map((w) => Array.from(w.dataSync()));
    expect(weights(a)).toEqual(weights(b));
    expect(weights(a)).not.toEqual(weights(c));
    [a, b, c].forEach((m) => m.dispose());
  });

  it('validates: unknown parent, unknown product factor, missing representation, a loss term on a missing output', () => {
    const base = { features, backbone: sharedBottom() };
    expect(() => buildMultiTaskModel({ ...base, tasks: [{ name: 'cvr', parent: 'click' }] })).toThrow(
      /tasks\[0\] \("cvr"\)\.parent: "click" is not another task; tasks are cvr/,
    );
    expect(() => buildMultiTaskModel({ ...base, tasks: [{ name: 'a' }, { name: 'p', product: ['a', 'zzz'] }] })).toThrow(
      /tasks\[1\] \("p"\)\.product: "zzz" is not another task/,
    );
    expect(() => buildMultiTaskModel({ ...base, tasks: [{ name: 'a' }, { name: 'a' }] })).toThrow(
      /tasks\[1\]\.name: duplicate task name "a"/,
    );
    expect(() =>
      buildMultiTaskModel({
        ...base,
        tasks: [{ name: 'click' }, { name: 'buy' }],
        backbone: new SharedBottom({ tasks: ['click'], bottom: { units: [4] } }),
      }),
    ).toThrow(/backbone: produced no representation for task\(s\) buy; it wrote click/);
    expect(() =>
      buildMultiTaskModel({ ...base, tasks: [{ name: 'a' }], blocks: [new AuxiliaryBlock({ task: 'a', lossOutput: 'prob:ghost' })] }),
    ).toThrow(/loss term "a\/aux" reads prob:ghost, which the model does not output/);
    expect(() => buildMultiTaskModel({ ...base, tasks: [{ name: 'a', weight: 0 }] })).toThrow(/every task has weight 0/);
    expect(() => buildMultiTaskModel({ ...base, tasks: [{ name: 'a' }], blocks: [new Mlp({ key: 'b', units: [2] })] })).toThrow(
      /reads "b", which no earlier block produced/,
    );
    expect(() => buildMultiTaskModel({ features, tasks: [{ name: 'a' }] } as never)).toThrow(/backbone: required/);
    expect(() => buildMultiTaskModel({ ...base, features: undefined } as never)).toThrow(/features: must be an array/);
  });

  it('works without numeric features', () => {
    const model = buildMultiTaskModel({
      features: features.filter((f) => f.type === 'categorical'),
      tasks: [{ name: 'click' }],
      backbone: sharedBottom([4]),
    });
    expect(model.spec.hasNumericInput).toBe(false);
    expect(model.model.inputs).toHaveLength(1);
    const t = { ...table(4), numeric: new Float32Array(0), numericCount: 0 };
    expect(model.predict(t).tasks.click).toHaveLength(4);
    model.dispose();
  });

  it('survives a tfjs save/load (fromMemory) with identical predictions, auxiliary blocks included', async () => {
    const model = buildMultiTaskModel({
      features,
      tasks: esmmTasks,
      backbone: sharedBottom([6]),
      blocks: [new AuxiliaryBlock({ task: 'click', name: 'aux' })],
      tower: { units: [4], normalization: 'batch' },
      seed: 9,
    });
    const loaded = await reloadThroughMemory(model.model);
    const t = table(17);
    const inputs = tableInputs(t);
    const [p, q] = [
      model.model.predict([inputs.categorical, inputs.numeric!]) as tf.Tensor[],
      loaded.predict([inputs.categorical, inputs.numeric!]) as tf.Tensor[],
    ];
    expect(q.map((x) => Array.from(x.dataSync()))).toEqual(p.map((x) => Array.from(x.dataSync())));
    expect((loaded.getLayer('aux') as AuxiliaryBlock).lossTerms()).toEqual((model.model.getLayer('aux') as AuxiliaryBlock).lossTerms());
    tf.dispose([...p, ...q, inputs.categorical, inputs.numeric!]);
    model.dispose();
    loaded.dispose();
  });
});
