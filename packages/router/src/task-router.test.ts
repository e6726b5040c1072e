import * as tf from '@tensorflow/tfjs-core';
import { serialization } from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { buildMultiTaskModel, tableInputs, TaskBlock, type Shape } from '@ektm/core';
import { TaskRouter, routedKey, type TaskRouterArgs } from './index.js';
import { perTaskBackbone, saveAndLoad, tinyFeatures, tinyTable, values } from '@ektm/testing';

const E = Math.E;

/** f_ctr = [2, 2], f_a = [1, 0], f_b = [0, 1], batch of 2 identical rows. */
function constantInputs(): tf.Tensor2D[] {
  return [
    tf.tensor2d([
      [2, 2],
      [2, 2],
    ]),
    tf.tensor2d([
      [1, 0],
      [1, 0],
    ]),
    tf.tensor2d([
      [0, 1],
      [0, 1],
    ]),
  ];
}

function route(args: Partial<TaskRouterArgs>, inputs = constantInputs()): { routed: number[][]; similarity: number[] } {
  const router = new TaskRouter({ sources: ['ctr'], targets: ['a', 'b'], ...args });
  const out = router.apply(inputs) as tf.Tensor[];
  const result = { routed: out.slice(0, -1).map((t) => values(t).slice(0, 2)), similarity: values(out[out.length - 1]!).slice(0, 4) };
  tf.dispose([...out, ...inputs]);
  return result;
}

function expectClose(actual: number[], expected: number[]): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5));
}

describe('TaskRouter: the router equation on constant inputs (hand-computed F_i)', () => {
  it('cosine similarity, softmax at temperature 1, self included: F_i = (f_ctr + Σ_t ŝ_it f_t) / (T + 1)', () => {
    // cos(a, a) = 1, cos(a, b) = 0 → ŝ_aa = e / (e + 1), ŝ_ab = 1 / (e + 1); symmetric for b.
    const self = E / (E + 1);
    const other = 1 / (E + 1);
    const { routed, similarity } = route({});
    expectClose(similarity, [self, other, other, self]);
    expectClose(routed[0]!, [(2 + self) / 3, (2 + other) / 3]);
    expectClose(routed[1]!, [(2 + other) / 3, (2 + self) / 3]);
  });

  it('uniform similarity: ŝ = 1/T', () => {
    const { routed, similarity } = route({ similarity: 'uniform' });
    expectClose(similarity, [0.5, 0.5, 0.5, 0.5]);
    expectClose(routed[0]!, [(2 + 0.5) / 3, (2 + 0.5) / 3]);
    expectClose(routed[1]!, [(2 + 0.5) / 3, (2 + 0.5) / 3]);
  });

  it('without the self term: ŝ_ii = 0 and the divisor is S + T - 1', () => {
    const { routed, similarity } = route({ includeSelf: false });
    expectClose(similarity, [0, 1, 1, 0]);
    expectClose(routed[0]!, [(2 + 0) / 2, (2 + 1) / 2]);
    expectClose(routed[1]!, [(2 + 1) / 2, (2 + 0) / 2]);
  });

  it('scaled dot product with temperature 0.5: logits f_i·f_t / (√d · 0.5)', () => {
    const s = Math.exp(1 / (Math.SQRT2 * 0.5));
    const self = s / (s + 1);
    const other = 1 / (s + 1);
    const { routed } = route({ similarity: 'dot', temperature: 0.5 });
    expectClose(routed[0]!, [(2 + self) / 3, (2 + other) / 3]);
  });

  it('learned affinity: softmax of each row of the matrix', () => {
    const router = new TaskRouter({ sources: ['ctr'], targets: ['a', 'b'], similarity: 'affinity' });
    const inputs = constantInputs();
    tf.dispose(router.apply(inputs) as tf.Tensor[]);
    router.setWeights([
      tf.tensor2d([
        [0, Math.log(3)],
        [0, 0],
      ]),
    ]);
    const out = router.apply(inputs) as tf.Tensor[];
    expectClose(values(out[2]!).slice(0, 4), [0.25, 0.75, 0.5, 0.5]);
    expectClose(values(out[0]!).slice(0, 2), [(2 + 0.25) / 3, (2 + 0.75) / 3]);
    tf.dispose([...out, ...inputs]);
  });

  it('several sources are each added unweighted: (f_c1 + f_c2 + Σ_t ŝ_it f_t) / (S + T)', () => {
    const router = new TaskRouter({ sources: ['c1', 'c2'], targets: ['a', 'b'], similarity: 'uniform' });
    const inputs = [tf.tensor2d([[2, 2]]), tf.tensor2d([[4, 0]]), tf.tensor2d([[1, 0]]), tf.tensor2d([[0, 1]])];
    const out = router.apply(inputs) as tf.Tensor[];
    expectClose(values(out[0]!), [(6 + 0.5) / 4, (2 + 0.5) / 4]);
    tf.dispose([...out, ...inputs]);
  });

  it('one target without the self term routes the mean of the sources', () => {
    const router = new TaskRouter({ sources: ['c1', 'c2'], targets: ['a'], includeSelf: false });
    const inputs = [tf.tensor2d([[2, 2]]), tf.tensor2d([[4, 0]]), tf.tensor2d([[9, 9]])];
    const out = router.apply(inputs) as tf.Tensor[];
    expectClose(values(out[0]!), [3, 1]);
    expectClose(values(out[1]!), [0]);
    tf.dispose([...out, ...inputs]);
  });

  it('per-sample similarity: rows with different representations get different weights', () => {
    const inputs = [
      tf.tensor2d([
        [0, 0],
        [0, 0],
      ]),
      tf.tensor2d([
        [1, 0],
        [1, 0],
      ]),
      tf.tensor2d([
        [1, 0],
        [0, 1],
      ]),
    ];
    const { similarity } = route({}, inputs);
    expectClose(similarity, [0.5, 0.5, 0.5, 0.5]); // row 1: a and b identical
  });
});

describe('TaskRouter: gradients', () => {
  function sourceGradient(stopGradientSources: boolean): number[] {
    const router = new TaskRouter({ sources: ['ctr'], targets: ['a', 'b'], stopGradientSources });
    const [ctr, a, b] = constantInputs();
    const grads = tf.grads((c: tf.Tensor, x: tf.Tensor, y: tf.Tensor) =>
      tf.sum(tf.addN((router.apply([c, x, y]) as tf.Tensor[]).slice(0, 2))),
    )([ctr!, a!, b!]);
    const result = values(grads[0]!);
    tf.dispose([...grads, ctr!, a!, b!]);
    return result;
  }

  it('sources receive 1/(S+T) from each target without stop-gradient, and exactly zero with it', () => {
    expectClose(sourceGradient(false), [2 / 3, 2 / 3, 2 / 3, 2 / 3]);
    expect(sourceGradient(true)).toEqual([0, 0, 0, 0]);
  });

  it('targets still receive gradient when only the sources are stopped, and none with stopGradientTargets', () => {
    for (const stop of [false, true]) {
      const router = new TaskRouter({ sources: ['ctr'], targets: ['a', 'b'], stopGradientSources: true, stopGradientTargets: stop });
      const [ctr, a, b] = constantInputs();
      const grads = tf.grads((c: tf.Tensor, x: tf.Tensor, y: tf.Tensor) => tf.sum((router.apply([c, x, y]) as tf.Tensor[])[0]!))([
        ctr!,
        a!,
        b!,
      ]);
      const norm = tf.sum(tf.abs(grads[1]!)).dataSync()[0]!;
      if (stop) expect(norm).toBe(0);
      else expect(norm).toBeGreaterThan(0.1);
      tf.dispose([...grads, ctr!, a!, b!]);
    }
  });
});

describe('TaskRouter: the tfjs layer checklist', () => {
  it('output shapes and dtypes, symbolic and eager', () => {
    const router = new TaskRouter({ sources: ['ctr'], targets: ['a', 'b', 'c'] });
    const shapes = router.computeOutputShape([
      [null, 4],
      [null, 4],
      [null, 4],
      [null, 4],
    ]);
    expect(shapes).toEqual([
      [null, 4],
      [null, 4],
      [null, 4],
      [null, 3, 3],
    ]);
    const inputs = [0, 1, 2, 3].map((i) => tf.randomNormal([5, 4], 0, 1, 'float32', i));
    const out = router.apply(inputs) as tf.Tensor[];
    expect(out.map((t) => t.shape)).toEqual([
      [5, 4],
      [5, 4],
      [5, 4],
      [5, 3, 3],
    ]);
    expect(out.every((t) => t.dtype === 'float32')).toBe(true);
    const rowSums = values(tf.sum(out[3]!, -1));
    rowSums.forEach((s) => expect(s).toBeCloseTo(1, 5));
    tf.dispose([...out, ...inputs]);
  });

  it('projects representations of different widths when projectionUnits is set, and explains when it is not', () => {
    const inputs = [tf.ones([2, 3]), tf.ones([2, 5]), tf.ones([2, 4])];
    expect(() => new TaskRouter({ sources: ['ctr'], targets: ['a', 'b'] }).apply(inputs)).toThrow(/different widths.*projectionUnits/);
    const router = new TaskRouter({ sources: ['ctr'], targets: ['a', 'b'], projectionUnits: 6 });
    const out = router.apply(inputs) as tf.Tensor[];
    expect(out.map((t) => t.shape)).toEqual([
      [2, 6],
      [2, 6],
      [2, 2, 2],
    ]);
    expect(router.trainableWeights.length).toBe(7); // 3 × (kernel, bias) + log temperature
    tf.dispose([...out, ...inputs]);
  });

  it('one training step changes the learned temperature and the affinity', () => {
    for (const similarity of ['cosine', 'affinity'] as const) {
      const router = new TaskRouter({ sources: ['ctr'], targets: ['a', 'b'], similarity });
      const inputs = [0, 1, 2].map((i) => tf.randomNormal([8, 4], 0, 1, 'float32', 10 + i));
      const goal = tf.randomNormal([8, 4], 0, 1, 'float32', 99);
      tf.dispose(router.apply(inputs) as tf.Tensor[]);
      const before = router.getWeights().map(values);
      const loss = () => tf.tidy(() => tf.mean(tf.square(tf.sub((router.apply(inputs) as tf.Tensor[])[0]!, goal))) as tf.Scalar);
      const l0 = loss();
      const l0v = l0.dataSync()[0]!;
      tf.train.sgd(0.5).minimize(loss);
      const l1 = loss();
      expect(router.getWeights().map(values)).not.toEqual(before);
      expect(l1.dataSync()[0]!).toBeLessThan(l0v);
      tf.dispose([l0, l1, goal, ...inputs]);
    }
  });

  it('a fixed temperature is not trainable', () => {
    const router = new TaskRouter({ sources: ['ctr'], targets: ['a'], learnTemperature: false, temperature: 0.2 });
    const inputs = [tf.ones([1, 2]), tf.ones([1, 2])];
    tf.dispose(router.apply(inputs) as tf.Tensor[]);
    expect(router.trainableWeights.length).toBe(0);
    expect(values(router.getWeights()[0]!)[0]).toBeCloseTo(Math.log(0.2), 6);
    tf.dispose(inputs);
  });

  it('config round trip builds the same router', () => {
    const router = new TaskRouter({
      sources: ['ctr', 'cart'],
      targets: ['a', 'b'],
      similarity: 'dot',
      temperature: 0.3,
      learnTemperature: false,
      includeSelf: false,
      stopGradientSources: true,
      projectionUnits: 3,
      diagnostic: 'r1/similarity',
      seed: 7,
      name: 'r1',
    });
    const config = router.getConfig();
    const copy = TaskRouter.fromConfig(TaskRouter, config) as TaskRouter;
    expect(copy).toBeInstanceOf(TaskRouter);
    expect(copy.getConfig()).toEqual(config);
    expect(copy.outputKeys).toEqual([routedKey('a'), routedKey('b'), 'diag:r1/similarity']);
    const plain = new TaskRouter({ sources: ['ctr'], targets: ['a'] });
    expect((TaskRouter.fromConfig(TaskRouter, plain.getConfig()) as TaskRouter).projectionUnits).toBeUndefined();
  });

  it('leaks no tensors in a forward pass or a training step', () => {
    const router = new TaskRouter({ sources: ['ctr'], targets: ['a', 'b'], stopGradientSources: true });
    const inputs = [0, 1, 2].map((i) => tf.randomNormal([4, 3], 0, 1, 'float32', i));
    tf.dispose(router.apply(inputs) as tf.Tensor[]);
    const optimizer = tf.train.sgd(0.1);
    const step = () => optimizer.minimize(() => tf.sum((router.apply(inputs) as tf.Tensor[])[0]!) as tf.Scalar);
    step();
    const before = tf.memory().numTensors;
    tf.dispose(router.apply(inputs) as tf.Tensor[]);
    step();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(inputs);
  });

  it('validates its options with errors that name them', () => {
    expect(() => new TaskRouter({ sources: ['x'], targets: [] })).toThrow(/router\.targets/);
    expect(() => new TaskRouter({ sources: ['x'], targets: ['x'] })).toThrow(/both a source and a target/);
    expect(() => new TaskRouter({ sources: [], targets: ['a'], similarity: 'l2' as never })).toThrow(
      /router\.similarity.*cosine, dot, affinity, uniform/,
    );
    expect(() => new TaskRouter({ sources: [], targets: ['a'], temperature: 0 })).toThrow(/router\.temperature/);
    expect(() => new TaskRouter({ sources: [], targets: ['a'], includeSelf: false })).toThrow(/no terms/);
    expect(() => new TaskRouter({ sources: ['c'], targets: ['a'], projectionUnits: 1.5 })).toThrow(/router\.projectionUnits/);
  });

  it('saves and loads inside a model with identical predictions, and exposes the mean similarity', async () => {
    const model = buildMultiTaskModel({
      features: tinyFeatures,
      tasks: [{ name: 'click' }, { name: 'a' }, { name: 'b' }],
      backbone: perTaskBackbone(5),
      blocks: [
        (ctx) => new TaskRouter({ sources: ['click'], targets: ['a', 'b'], seed: ctx.seed, name: 'router' }),
        // Towers read the routed representation in this check.
        () => ['a', 'b'].map((t) => new RoutedToTask(t)),
      ],
      tower: { units: [4] },
    });
    expect(model.spec.outputs).toEqual(['prob:click', 'prob:a', 'prob:b', 'diag:router/similarity']);
    const table = tinyTable(16);
    const prediction = model.predict(table);
    const similarity = prediction.diagnostics['router/similarity']!;
    expect(similarity.shape).toEqual([2, 2]);
    expect(similarity.mean[0]! + similarity.mean[1]!).toBeCloseTo(1, 5);
    const loaded = await saveAndLoad(model.model);
    const inputs = tableInputs(table);
    const a = model.model.predict([inputs.categorical, inputs.numeric!]) as tf.Tensor[];
    const b = loaded.predict([inputs.categorical, inputs.numeric!]) as tf.Tensor[];
    a.forEach((t, i) => expect(values(b[i]!)).toEqual(values(t)));
    tf.dispose([...a, ...b, inputs.categorical, inputs.numeric!]);
  });
});

/** Copies `routed:<task>` over `<task>` (test only: lets the towers read the router's output). */
class RoutedToTask extends TaskBlock {
  static readonly className = 'EktmTestRoutedToTask';
  constructor(readonly task: string) {
    super({ inputKeys: [routedKey(task)], outputKeys: [task] });
  }
  protected override callBlock(inputs: tf.Tensor[]): tf.Tensor[] {
    return [inputs[0]!];
  }
  protected override blockOutputShapes(shapes: Shape[]): Shape[] {
    return [shapes[0]!];
  }
  override getConfig() {
    return { ...super.getConfig(), task: this.task };
  }
  static override fromConfig<T extends serialization.Serializable>(
    cls: serialization.SerializableConstructor<T>,
    config: serialization.ConfigDict,
  ): T {
    return new (cls as unknown as typeof RoutedToTask)(config.task as string) as unknown as T;
  }
}
serialization.registerClass(RoutedToTask);

describe('TaskRouter: one target', () => {
  it('passes gradient to a single target and its source (the sequential pattern: click → cvr)', () => {
    const router = new TaskRouter({ sources: ['click'], targets: ['cvr'] });
    const [c, x] = [tf.tensor2d([[1, 2]]), tf.tensor2d([[3, 4]])];
    const grads = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum((router.apply([a, b]) as tf.Tensor[])[0]!))([c, x]);
    // ŝ = 1 (softmax over one term): F = (f_click + f_cvr) / 2.
    expect(values(grads[0]!)).toEqual([0.5, 0.5]);
    expect(values(grads[1]!).every((g) => Math.abs(g - 0.5) < 1e-6)).toBe(true);
    tf.dispose([...grads, c, x]);
  });
});
