// A minimal training loop for tests: the model's loss terms summed with their weights over shuffled batches,
// the way any trainer must sum them (no model is special-cased).
import * as tf from '@tensorflow/tfjs-core';
import {
  getLossKind,
  seededRandom,
  tableInputs,
  takeRows,
  taskLabelsAndMasks,
  toLabelTensors,
  type EncodedTable,
  type MultiTaskModel,
} from '@ektm/core';

/** The weighted sum of a model's loss terms on one batch; also each term's value. */
export function modelLoss(
  model: MultiTaskModel,
  batch: EncodedTable,
  training: boolean,
): { total: tf.Scalar; terms: Record<string, tf.Scalar> } {
  const inputs = tableInputs(batch);
  const { labels, masks } = taskLabelsAndMasks(model.spec.tasks, batch.labels, batch.rows);
  const [y, m] = [toLabelTensors(labels), toLabelTensors(masks)];
  try {
    const out = model.forward(inputs, training);
    const terms: Record<string, tf.Scalar> = {};
    for (const term of model.spec.lossTerms) {
      terms[term.name] = getLossKind(term.kind)({
        outputs: term.outputs.map((k) => out[k]!),
        label: y[term.task]!,
        mask: m[term.task]!,
        labels: y,
        masks: m,
        options: term.options ?? {},
      });
    }
    const total = model.spec.lossTerms.reduce((acc, t) => tf.add(acc, tf.mul(terms[t.name]!, t.weight)), tf.scalar(0)) as tf.Scalar;
    return { total, terms };
  } finally {
    tf.dispose([inputs.categorical, ...(inputs.numeric ? [inputs.numeric] : []), ...Object.values(y), ...Object.values(m)]);
  }
}

/** Trains for `epochs` over shuffled batches with Adam; returns the mean training loss of each epoch. */
export function train(
  model: MultiTaskModel,
  table: EncodedTable,
  options: { epochs: number; batchSize: number; learningRate?: number; seed?: number },
): number[] {
  const optimizer = tf.train.adam(options.learningRate ?? 0.01);
  const random = seededRandom(options.seed ?? 1);
  const losses: number[] = [];
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    const order = Array.from({ length: table.rows }, (_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    let sum = 0;
    let batches = 0;
    for (let start = 0; start < table.rows; start += options.batchSize) {
      const batch = takeRows(table, order.slice(start, start + options.batchSize));
      const cost = optimizer.minimize(() => tf.tidy(() => modelLoss(model, batch, true).total), true)!;
      sum += cost.dataSync()[0]!;
      cost.dispose();
      batches++;
    }
    losses.push(sum / batches);
  }
  optimizer.dispose();
  return losses;
}
