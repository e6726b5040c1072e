import * as tf from '@tensorflow/tfjs-core';
import { serialization } from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { applyBlock, TaskBlock, TaskTower, type ConfigDict, type Shape, type TaskRecord } from '../index.js';
import { reloadThroughMemory } from '../persistence/test-models.js';

/** Returns its first input unchanged under every output key (the worst case for tfjs' tensor disposal). */
class EchoBlock extends TaskBlock {
  static readonly className = 'EktmTestEcho';
  lastTraining: boolean | undefined;
  protected override callBlock(inputs: tf.Tensor[], training: boolean): tf.Tensor[] {
    this.lastTraining = training;
    return this.outputKeys.map(() => inputs[0]!);
  }
  protected override blockOutputShapes(inputShapes: Shape[]): Shape[] {
    return this.outputKeys.map(() => inputShapes[0]!);
  }
}
serialization.registerClass(EchoBlock);

/** Scales its input by a trainable scalar; records the shapes it was built with. */
class ScaleBlock extends TaskBlock {
  static readonly className = 'EktmTestScale';
  builtWith: Shape[] = [];
  private scale?: tfl.LayerVariable;
  protected override buildBlock(shapes: Shape[]): void {
    this.builtWith = shapes;
    this.scale = this.addWeight('scale', [], 'float32', tfl.initializers.constant({ value: 2 }));
  }
  protected override callBlock(inputs: tf.Tensor[]): tf.Tensor[] {
    return [tf.mul(tf.add(...(inputs as [tf.Tensor, tf.Tensor])), this.scale!.read())];
  }
  protected override blockOutputShapes(inputShapes: Shape[]): Shape[] {
    return [inputShapes[0]!];
  }
  override getConfig(): ConfigDict {
    return super.getConfig();
  }
}
serialization.registerClass(ScaleBlock);

describe('TaskBlock', () => {
  it('validates inputKeys and outputKeys, naming the class, the layer and the option', () => {
    expect(() => new EchoBlock({ inputKeys: [], outputKeys: ['a'], name: 'echo' })).toThrow(
      /EchoBlock "echo": inputKeys must be a non-empty array of record keys, got \[\]/,
    );
    expect(() => new EchoBlock({ inputKeys: ['a'], outputKeys: ['b', ''] })).toThrow(
      /EchoBlock: outputKeys must be a non-empty array of record keys, got \["b",""\]/,
    );
    expect(() => new EchoBlock({ inputKeys: ['a', 'a'], outputKeys: ['b'] })).toThrow(/EchoBlock: inputKeys has duplicates: a, a/);
    expect(() => new EchoBlock({ inputKeys: 'a' as never, outputKeys: ['b'] })).toThrow(/inputKeys must be a non-empty array/);
  });

  it('clones an output that is an input or another output, so every output is a distinct tensor', () => {
    const block = new EchoBlock({ inputKeys: ['x'], outputKeys: ['a', 'b', 'c'] });
    const x = tf.tensor2d([[1, 2]]);
    const before = tf.memory().numTensors;
    const outputs = block.apply(x, { training: true }) as tf.Tensor[];
    expect(block.lastTraining).toBe(true);
    expect(new Set([x, ...outputs]).size).toBe(4);
    for (const out of outputs) expect(out.arraySync()).toEqual([[1, 2]]);
    tf.dispose(outputs);
    expect(tf.memory().numTensors).toBe(before);
    expect(x.arraySync()).toEqual([[1, 2]]);
    tf.dispose(x);
    tf.tidy(() => block.apply(tf.tensor2d([[0]])) as tf.Tensor[]);
    expect(block.lastTraining).toBe(false);
  });

  it('an identity block feeding several consumers works inside a model (predict and a training step)', async () => {
    const input = tfl.input({ shape: [3] });
    let record: TaskRecord = { rep: input };
    record = applyBlock(new EchoBlock({ inputKeys: ['rep'], outputKeys: ['a', 'b'], name: 'echo' }), record);
    record = applyBlock(new TaskTower({ task: 'a', hidden: { units: [2] }, seed: 1 }), record);
    record = applyBlock(new TaskTower({ task: 'b', hidden: { units: [2] }, seed: 2 }), record);
    const model = tfl.model({ inputs: input, outputs: [record['prob:a']!, record['prob:b']!, record.a!] });
    const x = tf.tensor2d([
      [1, -1, 0.5],
      [0, 2, 1],
    ]);
    const [pa, pb, a] = model.predict(x) as tf.Tensor[];
    expect(a!.arraySync()).toEqual(x.arraySync());
    expect(pa!.shape).toEqual([2, 1]);
    expect(pb!.arraySync()).not.toEqual(pa!.arraySync());
    tf.dispose([pa!, pb!, a!]);
    tf.train.sgd(0.1).minimize(() => {
      const out = model.apply(x, { training: true }) as tf.Tensor[];
      return tf.add(tf.sum(out[0]!), tf.sum(out[1]!)) as tf.Scalar;
    });
    const loaded = await reloadThroughMemory(model);
    const [p, q] = [model.predict(x) as tf.Tensor[], loaded.predict(x) as tf.Tensor[]];
    expect(q.map((t) => t.arraySync())).toEqual(p.map((t) => t.arraySync()));
    expect((loaded.getLayer('echo') as EchoBlock).outputKeys).toEqual(['a', 'b']);
    tf.dispose([x, ...p, ...q]);
    model.dispose();
    loaded.dispose();
  });

  it('builds with one shape per input key, checks the input count, and contributes no loss by default', () => {
    const block = new ScaleBlock({ inputKeys: ['a', 'b'], outputKeys: ['sum'] });
    const a = tf.tensor2d([[1, 2]]);
    const b = tf.tensor2d([[3, 5]]);
    const out = block.apply([a, b]) as tf.Tensor;
    expect(block.builtWith).toEqual([
      [1, 2],
      [1, 2],
    ]);
    expect(out.arraySync()).toEqual([[8, 14]]);
    expect(
      block.computeOutputShape([
        [null, 2],
        [null, 2],
      ]),
    ).toEqual([null, 2]);
    expect(() => block.apply([a])).toThrow(/expected 2 inputs \(a, b\), got 1/);
    expect(block.lossTerms()).toEqual([]);
    expect(block.getConfig()).toMatchObject({ inputKeys: ['a', 'b'], outputKeys: ['sum'] });
    const single = new ScaleBlock({ inputKeys: ['a'], outputKeys: ['s'] });
    single.build([null, 7]);
    expect(single.builtWith).toEqual([[null, 7]]);
    tf.dispose([a, b, out]);
  });
});

describe('applyBlock', () => {
  it('writes the outputs under outputKeys and keeps every other entry', () => {
    const x = tfl.input({ shape: [2] });
    const y = tfl.input({ shape: [2] });
    const record = applyBlock(new ScaleBlock({ inputKeys: ['x', 'y'], outputKeys: ['z'] }), { x, y });
    expect(Object.keys(record)).toEqual(['x', 'y', 'z']);
    expect(record.x).toBe(x);
    expect(record.z!.shape).toEqual([null, 2]);
  });

  it('names the missing key and the available ones', () => {
    const x = tfl.input({ shape: [2] });
    expect(() => applyBlock(new ScaleBlock({ inputKeys: ['x', 'nope'], outputKeys: ['z'], name: 'scaler' }), { x })).toThrow(
      /scaler reads "nope", which no earlier block produced; available: x/,
    );
  });
});
