// The tfjs layer checklist for a task block used standalone: output shapes and dtypes, one training step that
// changes the weights, a config round trip that builds the same layer, and no leaked tensors.
import * as tf from '@tensorflow/tfjs-core';
import { serialization } from '@tensorflow/tfjs-core';
import type { TaskBlock } from '@ektm/core';
import { expect } from 'vitest';

type BlockClass = { new (args: never): TaskBlock; className: string; fromConfig: unknown };

/** Runs the checklist on `make()`, fed `inputs` (in `inputKeys` order); `shapes` are the expected output shapes. */
export function runLayerChecklist(make: () => TaskBlock, inputs: tf.Tensor[], shapes: number[][]): void {
  const block = make();
  const outputs = asList(block.apply(inputs.length === 1 ? inputs[0]! : inputs, { training: false }) as tf.Tensor | tf.Tensor[]);
  // shape and dtype
  expect(outputs.map((t) => t.shape)).toEqual(shapes);
  for (const t of outputs) expect(t.dtype).toBe('float32');
  const shapeList = inputs.map((t) => [null, ...t.shape.slice(1)]);
  const computed = block.computeOutputShape(shapeList.length === 1 ? shapeList[0]! : shapeList) as (number | null)[] | (number | null)[][];
  const computedList = (Array.isArray(computed[0]) ? computed : [computed]) as (number | null)[][];
  expect(computedList.map((s) => s.slice(1))).toEqual(shapes.map((s) => s.slice(1)));

  // one training step changes the weights
  const trainable = block.trainableWeights.map((w) => w.read());
  const before = trainable.map((w) => w.clone());
  const optimizer = tf.train.sgd(0.1);
  optimizer.minimize(
    () => {
      const out = asList(block.apply(inputs.length === 1 ? inputs[0]! : inputs, { training: true }) as tf.Tensor | tf.Tensor[]);
      return out.reduce((acc, t) => tf.add(acc, tf.sum(tf.square(t))), tf.scalar(0)) as tf.Scalar;
    },
    false,
    trainable as tf.Variable[],
  );
  const changed = trainable.some((w, i) => tf.tidy(() => tf.max(tf.abs(tf.sub(w, before[i]!))).dataSync()[0]!) > 0);
  expect(changed).toBe(true);
  tf.dispose(before);
  optimizer.dispose();

  // config round trip: same config, same outputs with the same weights
  const cls = serialization.SerializationMap.getMap().classNameMap[(block.constructor as BlockClass).className];
  expect(cls).toBeDefined();
  const config = block.getConfig();
  const copy = (block.constructor as unknown as { fromConfig: (c: unknown, d: unknown) => TaskBlock }).fromConfig(
    block.constructor,
    config,
  );
  expect(copy.getConfig()).toEqual({ ...config, name: copy.name });
  copy.apply(inputs.length === 1 ? inputs[0]! : inputs);
  copy.setWeights(block.getWeights());
  const again = asList(copy.apply(inputs.length === 1 ? inputs[0]! : inputs, { training: false }) as tf.Tensor | tf.Tensor[]);
  const original = asList(block.apply(inputs.length === 1 ? inputs[0]! : inputs, { training: false }) as tf.Tensor | tf.Tensor[]);
  again.forEach((t, i) => expect(Array.from(t.dataSync())).toEqual(Array.from(original[i]!.dataSync())));
  tf.dispose([...outputs, ...again, ...original]);

  // no leaked tensors in a forward pass nor in a training step
  const start = tf.memory().numTensors;
  tf.dispose(asList(block.apply(inputs.length === 1 ? inputs[0]! : inputs, { training: true }) as tf.Tensor | tf.Tensor[]));
  const sgd = tf.train.sgd(0.01);
  sgd.minimize(
    () => {
      const out = asList(block.apply(inputs.length === 1 ? inputs[0]! : inputs, { training: true }) as tf.Tensor | tf.Tensor[]);
      return out.reduce((acc, t) => tf.add(acc, tf.sum(t)), tf.scalar(0)) as tf.Scalar;
    },
    false,
    block.trainableWeights.map((w) => w.read()) as tf.Variable[],
  );
  sgd.dispose();
  expect(tf.memory().numTensors).toBe(start);
  block.dispose();
  copy.dispose();
}

function asList(x: tf.Tensor | tf.Tensor[]): tf.Tensor[] {
  return Array.isArray(x) ? x : [x];
}
