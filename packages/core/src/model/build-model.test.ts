Error.stackTraceLimit = 60;
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { buildMultiTaskModel, SharedBottom, getLossKind, tableInputs, type EncodedTable, type FeatureSpec } from '../index.js';

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
    buy[i] = click[i] === 1 ? (i % 2) : Number.NaN;
  }
  return { rows, categorical, categoricalCount: 2, numeric, numericCount: 1, labels: { click, buy } };
}

describe('buildMultiTaskModel', () => {
  it('composes a shared-bottom model with a product task and predicts per task', () => {
    const model = buildMultiTaskModel({
      features,
      tasks: [{ name: 'click' }, { name: 'cvr', label: 'buy', parent: 'click', weight: 0 }, { name: 'ctcvr', label: 'buy', product: ['click', 'cvr'] }],
      backbone: (ctx) => new SharedBottom({ tasks: ctx.towerTasks, bottom: { units: [16] }, seed: ctx.seed }),
      tower: { units: [8] },
    });
    expect(model.spec.outputs).toEqual(['prob:click', 'prob:cvr', 'prob:ctcvr']);
    expect(model.spec.lossTerms.map((t) => t.name)).toEqual(['click', 'ctcvr']);
    const t = table(30);
    const { tasks } = model.predict(t, { batchSize: 7 });
    for (let i = 0; i < 30; i++) expect(tasks.ctcvr![i]).toBeCloseTo(tasks.click![i]! * tasks.cvr![i]!, 6);
    const inputs = tableInputs(t);
    const opt = tf.train.adam(0.01);
    const bce = getLossKind('bce');
    const before = tf.memory().numTensors;
    for (let s = 0; s < 3; s++) {
      opt.minimize(() => {
        const out = model.forward(inputs, true);
        const y = tf.tensor1d(t.labels.click!);
        return bce({ outputs: [out['prob:click']!], label: y, mask: tf.onesLike(y), labels: {}, masks: {}, options: {} });
      });
    }
    expect(tf.memory().numTensors).toBeLessThanOrEqual(before + 40);
    model.model.summary(undefined, undefined, () => {});
  });
});
