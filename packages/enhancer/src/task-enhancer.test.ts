import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { buildMultiTaskModel, getLossKind, tableInputs, taskLabelsAndMasks, toLabelTensors } from '@ektm/core';
import { TaskRouter } from '@ektm/router';
import { TaskTransmitter } from '@ektm/transmitter';
import { ENHANCEMENT_HINGE_KIND, TaskEnhancer, type TaskEnhancerArgs } from './index.js';
import { perTaskBackbone, saveAndLoad, tinyFeatures, tinyTable, values } from '@ektm/testing';

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

function expectClose(actual: number[], expected: number[]): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5));
}

describe('TaskEnhancer: exact values', () => {
  const own = () => tf.tensor2d([[1, -2]]);
  const knowledge = () => tf.tensor2d([[3, 4]]);

  it('gated residual: h = f + σ(W[f; t] + b) ⊙ t; original head: σ(head(f))', () => {
    const enhancer = new TaskEnhancer({ task: 'a', originalHidden: [] });
    expect(enhancer.inputKeys).toEqual(['a', 'transmitted:a']);
    expect(enhancer.outputKeys).toEqual(['a', 'prob:a/original']);
    const [f, t] = [own(), knowledge()];
    tf.dispose(enhancer.apply([f, t]) as tf.Tensor[]);
    // Gate unit 0 reads f[0], unit 1 reads t[1]; original head: logit = 0.5 f[0] + 0.25 f[1] + 0.1.
    enhancer.setWeights([
      tf.tensor2d([
        [1, 0],
        [0, 0],
        [0, 0],
        [0, 1],
      ]),
      tf.tensor1d([0, -3]),
      tf.tensor2d([[0.5], [0.25]]),
      tf.tensor1d([0.1]),
    ]);
    const [h, p0] = enhancer.apply([f, t]) as tf.Tensor[];
    expectClose(values(h!), [1 + sigmoid(1) * 3, -2 + sigmoid(4 - 3) * 4]);
    expectClose(values(p0!), [sigmoid(0.5 - 0.5 + 0.1)]);
    tf.dispose([h!, p0!, f, t]);
  });

  it('residual: h = f + t', () => {
    const enhancer = new TaskEnhancer({ task: 'a', fusion: 'residual', originalHidden: [3] });
    const [f, t] = [own(), knowledge()];
    const [h, p0] = enhancer.apply([f, t]) as tf.Tensor[];
    expect(values(h!)).toEqual([4, 2]);
    expect(p0!.shape).toEqual([1, 1]);
    tf.dispose([h!, p0!, f, t]);
  });

  it('concat then MLP: h = relu(W[f; t] + b)', () => {
    const enhancer = new TaskEnhancer({ task: 'a', fusion: 'concat-mlp', fusionUnits: [1], originalHidden: [] });
    const [f, t] = [own(), knowledge()];
    tf.dispose(enhancer.apply([f, t]) as tf.Tensor[]);
    enhancer.setWeights([tf.tensor2d([[1], [1], [1], [0]]), tf.tensor1d([0.5]), tf.zeros([2, 1]), tf.zeros([1])]);
    const [h, p0] = enhancer.apply([f, t]) as tf.Tensor[];
    expectClose(values(h!), [1 - 2 + 3 + 0.5]);
    expectClose(values(p0!), [0.5]);
    tf.dispose([h!, p0!, f, t]);
  });

  it('loss terms: the original head BCE and the enhancement term, on the task, with their weights', () => {
    expect(new TaskEnhancer({ task: 'a' }).lossTerms()).toEqual([
      { name: 'a/original', kind: 'bce', outputs: ['prob:a/original'], task: 'a', weight: 1, role: 'auxiliary' },
      {
        name: 'a/enhance',
        kind: 'ektm-enhancement-hinge',
        outputs: ['prob:a', 'prob:a/original'],
        task: 'a',
        weight: 1,
        role: 'auxiliary',
      },
    ]);
    const hard = new TaskEnhancer({
      task: 'a',
      enhancement: 'hard-example',
      gamma: 1.5,
      enhancementWeight: 0.3,
      originalWeight: 0.5,
    }).lossTerms();
    expect(hard[0]!.weight).toBe(0.5);
    expect(hard[1]).toEqual({
      name: 'a/enhance',
      kind: 'ektm-hard-example',
      outputs: ['prob:a', 'prob:a/original'],
      task: 'a',
      weight: 0.3,
      role: 'auxiliary',
      options: { gamma: 1.5 },
    });
    expect(new TaskEnhancer({ task: 'a', enhancement: 'none' }).lossTerms().map((t) => t.name)).toEqual(['a/original']);
  });
});

describe('TaskEnhancer: detachOriginal', () => {
  it('the original head then passes no gradient into the task representation, and the same value forward', () => {
    const gradOfOwn = (detachOriginal: boolean) => {
      const enhancer = new TaskEnhancer({ task: 'a', detachOriginal, seed: 3 });
      const own = tf.randomNormal([5, 4], 0, 1, 'float32', 1);
      const knowledge = tf.randomNormal([5, 4], 0, 1, 'float32', 2);
      enhancer.apply([own, knowledge]);
      const grad = tf.grad((x: tf.Tensor) => tf.sum((enhancer.apply([x, knowledge]) as tf.Tensor[])[1]!))(own);
      const original = (enhancer.apply([own, knowledge]) as tf.Tensor[])[1]!;
      const out = { grad: Array.from(grad.dataSync()), original: Array.from(original.dataSync()) };
      tf.dispose([own, knowledge, grad, original]);
      return out;
    };
    const attached = gradOfOwn(false);
    const detached = gradOfOwn(true);
    expect(attached.grad.some((g) => Math.abs(g) > 1e-6)).toBe(true);
    expect(detached.grad.every((g) => g === 0)).toBe(true);
    expect(detached.original).toEqual(attached.original);
    expect(new TaskEnhancer({ task: 'a', detachOriginal: true }).getConfig().detachOriginal).toBe(true);
    expect(() => new TaskEnhancer({ task: 'a', detachOriginal: 'yes' as never })).toThrow(/enhancer "a"\.detachOriginal/);
  });
});

describe('TaskEnhancer: the tfjs layer checklist', () => {
  it('output shapes and dtypes', () => {
    const cases: Array<[Partial<TaskEnhancerArgs>, number]> = [
      [{}, 4],
      [{ fusion: 'residual' }, 4],
      [{ fusion: 'concat-mlp', fusionUnits: [8, 5] }, 5],
    ];
    for (const [args, width] of cases) {
      const enhancer = new TaskEnhancer({ task: 'a', ...args });
      expect(
        enhancer.computeOutputShape([
          [null, 4],
          [null, 4],
        ]),
      ).toEqual([
        [null, width],
        [null, 1],
      ]);
      const inputs = [tf.ones([3, 4]), tf.ones([3, 4])];
      const out = enhancer.apply(inputs) as tf.Tensor[];
      expect(out.map((t) => t.shape)).toEqual([
        [3, width],
        [3, 1],
      ]);
      expect(out.every((t) => t.dtype === 'float32')).toBe(true);
      tf.dispose([...out, ...inputs]);
    }
  });

  it('explains a width mismatch for the residual fusions', () => {
    const inputs = [tf.ones([2, 4]), tf.ones([2, 3])];
    expect(() => new TaskEnhancer({ task: 'a' }).apply(inputs)).toThrow(/width 3.*width 4.*concat-mlp/);
    tf.dispose(inputs);
  });

  it('one training step lowers the loss and changes every weight', () => {
    const enhancer = new TaskEnhancer({ task: 'a', originalHidden: [4], seed: 2 });
    const inputs = [tf.randomNormal([16, 4], 0, 1, 'float32', 1), tf.randomNormal([16, 4], 0, 1, 'float32', 2)];
    const goal = tf.randomNormal([16, 4], 0, 1, 'float32', 3);
    const y = tf.tensor2d(Array.from({ length: 16 }, (_, i) => [i % 2]));
    const loss = () =>
      tf.tidy(() => {
        const [h, p0] = enhancer.apply(inputs) as tf.Tensor[];
        return tf.add(tf.mean(tf.square(tf.sub(h!, goal))), tf.losses.logLoss(y, p0!)) as tf.Scalar;
      });
    tf.dispose(loss());
    const before = enhancer.getWeights().map(values);
    const l0 = loss();
    const l0v = l0.dataSync()[0]!;
    tf.train.sgd(0.2).minimize(loss);
    const l1 = loss();
    expect(l1.dataSync()[0]!).toBeLessThan(l0v);
    enhancer
      .getWeights()
      .map(values)
      .forEach((w, i) => expect(w).not.toEqual(before[i]));
    tf.dispose([l0, l1, goal, y, ...inputs]);
  });

  it('config round trip builds the same enhancer', () => {
    const enhancer = new TaskEnhancer({
      task: 'a',
      transmittedKey: 'x',
      fusion: 'concat-mlp',
      fusionUnits: [6],
      originalHidden: [3, 2],
      originalActivation: 'elu',
      originalWeight: 0.5,
      enhancement: 'hard-example',
      enhancementWeight: 0.2,
      gamma: 1,
      enhancedOutput: 'prob:z',
      seed: 4,
      name: 'e',
    });
    const config = enhancer.getConfig();
    const copy = TaskEnhancer.fromConfig(TaskEnhancer, config) as TaskEnhancer;
    expect(copy.getConfig()).toEqual(config);
    expect(copy.lossTerms()).toEqual(enhancer.lossTerms());
    expect(
      (TaskEnhancer.fromConfig(TaskEnhancer, new TaskEnhancer({ task: 'b' }).getConfig()) as TaskEnhancer).fusionUnits,
    ).toBeUndefined();
  });

  it('leaks no tensors in a forward pass or a training step', () => {
    const enhancer = new TaskEnhancer({ task: 'a', originalHidden: [3] });
    const inputs = [tf.ones([4, 3]), tf.ones([4, 3])];
    tf.dispose(enhancer.apply(inputs) as tf.Tensor[]);
    const optimizer = tf.train.sgd(0.1);
    const step = () => optimizer.minimize(() => tf.addN((enhancer.apply(inputs) as tf.Tensor[]).map((t) => tf.sum(t))) as tf.Scalar);
    step();
    const before = tf.memory().numTensors;
    tf.dispose(enhancer.apply(inputs) as tf.Tensor[]);
    step();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(inputs);
  });

  it('validates its options with errors that name them', () => {
    expect(() => new TaskEnhancer({ task: '' })).toThrow(/enhancer\.task/);
    expect(() => new TaskEnhancer({ task: 'a', fusion: 'attention' as never })).toThrow(
      /enhancer "a"\.fusion.*gated-residual, residual, concat-mlp/,
    );
    expect(() => new TaskEnhancer({ task: 'a', enhancement: 'focal' as never })).toThrow(
      /enhancer "a"\.enhancement.*hinge, hard-example, none/,
    );
    expect(() => new TaskEnhancer({ task: 'a', fusionUnits: [] })).toThrow(/enhancer "a"\.fusionUnits/);
    expect(() => new TaskEnhancer({ task: 'a', originalHidden: [0] })).toThrow(/enhancer "a"\.originalHidden/);
    expect(() => new TaskEnhancer({ task: 'a', originalWeight: -1 })).toThrow(/enhancer "a"\.originalWeight/);
    expect(() => new TaskEnhancer({ task: 'a', enhancementWeight: Number.NaN })).toThrow(/enhancer "a"\.enhancementWeight/);
    expect(() => new TaskEnhancer({ task: 'a', gamma: -1 })).toThrow(/enhancer "a"\.gamma/);
  });
});

describe('TaskEnhancer in a model', () => {
  function ektmModel() {
    return buildMultiTaskModel({
      features: tinyFeatures,
      tasks: [{ name: 'click' }, { name: 'a' }, { name: 'b' }],
      backbone: perTaskBackbone(4),
      blocks: [
        (ctx) => new TaskRouter({ sources: ['click'], targets: ['a', 'b'], seed: ctx.seed }),
        (ctx) => ['a', 'b'].map((task, i) => new TaskTransmitter({ task, seed: ctx.seed + i })),
        (ctx) => ['a', 'b'].map((task, i) => new TaskEnhancer({ task, originalHidden: [3], seed: ctx.seed + i, name: `enhancer_${task}` })),
      ],
      tower: { units: [3] },
    });
  }

  it('adds its outputs and loss terms to the model, and saves and loads with identical predictions', async () => {
    const model = ektmModel();
    expect(model.spec.outputs).toEqual(['prob:click', 'prob:a', 'prob:b', 'prob:a/original', 'prob:b/original', 'diag:router/similarity']);
    expect(model.spec.lossTerms.map((t) => t.name)).toEqual(['click', 'a', 'b', 'a/original', 'a/enhance', 'b/original', 'b/enhance']);
    const table = tinyTable(12);
    const loaded = await saveAndLoad(model.model);
    const inputs = tableInputs(table);
    const x = model.model.predict([inputs.categorical, inputs.numeric!]) as tf.Tensor[];
    const z = loaded.predict([inputs.categorical, inputs.numeric!]) as tf.Tensor[];
    x.forEach((t, i) => expect(values(z[i]!)).toEqual(values(t)));
    tf.dispose([...x, ...z, inputs.categorical, inputs.numeric!]);
  });

  it('the hinge sends no gradient into the original head, and some into the fusion gate and the tower', () => {
    const model = ektmModel();
    const table = tinyTable(64, 5);
    const inputs = tableInputs(table);
    const { labels, masks } = taskLabelsAndMasks(model.spec.tasks, table.labels, table.rows);
    const [y, m] = [toLabelTensors(labels), toLabelTensors(masks)];
    const hinge = getLossKind(ENHANCEMENT_HINGE_KIND);
    const { grads } = tf.variableGrads(() => {
      const out = model.forward(inputs, true);
      return hinge({ outputs: [out['prob:a']!, out['prob:a/original']!], label: y.a!, mask: m.a!, labels: y, masks: m, options: {} });
    });
    const norm = (pattern: RegExp) =>
      Object.entries(grads)
        .filter(([name]) => pattern.test(name))
        .reduce((acc, [, g]) => acc + tf.sum(tf.abs(g)).dataSync()[0]!, 0);
    expect(Object.keys(grads).some((n) => /enhancer_a\/original/.test(n))).toBe(true);
    expect(norm(/enhancer_a\/original/)).toBe(0);
    expect(norm(/enhancer_a\/gate/)).toBeGreaterThan(0);
    expect(norm(/tower_a\//)).toBeGreaterThan(0);
    tf.dispose([...Object.values(grads), ...Object.values(y), ...Object.values(m), inputs.categorical, inputs.numeric!]);
  });
});
