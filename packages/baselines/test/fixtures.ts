// Test support of @ektm/baselines: tiny seeded data, a funnel dataset's tasks, the tfjs layer checklist and a
// save/load round trip through memory.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { seededRandom, type EncodedTable, type FeatureSpec, type MultiTaskModel } from '@ektm/core';
import { expect } from 'vitest';

/** Three categorical fields and one numeric field. */
export const tinyFeatures: FeatureSpec[] = [
  { name: 'user', type: 'categorical', vocabularySize: 12 },
  { name: 'item', type: 'categorical', vocabularySize: 20 },
  { name: 'ctx', type: 'categorical', vocabularySize: 5 },
  { name: 'price', type: 'numeric' },
];

/**
 * A seeded table whose labels depend on the features: `click` (user and item), `purchase` (entire space: 1 only
 * where clicked; item and price), and two parallel tasks `a`, `b`.
 */
export function tinyTable(rows: number, seed = 1): EncodedTable {
  const random = seededRandom(seed);
  const categorical = new Int32Array(rows * 3);
  const numeric = new Float32Array(rows);
  const click = new Float32Array(rows);
  const purchase = new Float32Array(rows);
  const a = new Float32Array(rows);
  const b = new Float32Array(rows);
  for (let i = 0; i < rows; i++) {
    const user = Math.floor(random() * 12);
    const item = Math.floor(random() * 20);
    categorical.set([user, item, Math.floor(random() * 5)], i * 3);
    numeric[i] = random();
    click[i] = (user % 3 === 0 || item % 5 === 0) !== random() < 0.15 ? 1 : 0;
    purchase[i] = click[i] === 1 && (item % 2 === 0) !== random() < 0.1 ? 1 : 0;
    a[i] = (item % 4 === 0) !== random() < 0.1 ? 1 : 0;
    b[i] = (item % 4 === 0 && numeric[i]! > 0.5) !== random() < 0.1 ? 1 : 0;
  }
  return { rows, categorical, categoricalCount: 3, numeric, numericCount: 1, labels: { click, purchase, a, b } };
}

/** Saves a tfjs model to memory and loads it again (the custom layers must be registered). */
export async function saveAndLoad(model: tfl.LayersModel): Promise<tfl.LayersModel> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return tfl.loadLayersModel(tf.io.fromMemory(artifacts!));
}

/** Asserts that a reloaded tfjs model predicts exactly what the original predicts, output by output. */
export async function expectIdenticalAfterReload(model: MultiTaskModel, table: EncodedTable): Promise<void> {
  const loaded = await saveAndLoad(model.model);
  const inputs = [
    tf.tensor2d(table.categorical, [table.rows, table.categoricalCount], 'int32'),
    tf.tensor2d(table.numeric, [table.rows, table.numericCount]),
  ];
  const before = model.model.predict(inputs) as tf.Tensor[];
  const after = loaded.predict(inputs) as tf.Tensor[];
  expect(after.length).toBe(before.length);
  before.forEach((t, i) => expect(Array.from(after[i]!.dataSync())).toEqual(Array.from(t.dataSync())));
  tf.dispose([...inputs, ...before, ...after]);
  loaded.dispose();
}

/** A tensor's values as a plain array. */
export function values(t: tf.Tensor): number[] {
  return Array.from(t.dataSync());
}

/** Seeded normal inputs `[rows, width]`. */
export function randomInput(rows: number, width: number, seed = 3): tf.Tensor2D {
  const random = seededRandom(seed);
  return tf.tensor2d(
    Float32Array.from({ length: rows * width }, () => random() * 2 - 1),
    [rows, width],
  );
}
