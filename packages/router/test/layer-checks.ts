// Test support shared by the EKTM packages' tests (router, transmitter, enhancer, model): tiny data, a per-task
// backbone and a save/load round trip through memory.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { Mlp, seededRandom, type BlockOption, type EncodedTable, type FeatureSpec } from '@ektm/core';

/** Three categorical fields and one numeric field. */
export const tinyFeatures: FeatureSpec[] = [
  { name: 'user', type: 'categorical', vocabularySize: 12 },
  { name: 'item', type: 'categorical', vocabularySize: 20 },
  { name: 'ctx', type: 'categorical', vocabularySize: 5 },
  { name: 'price', type: 'numeric' },
];

/**
 * A seeded table whose labels depend on the features: `click` on the user and item, `a`/`b` (conversions)
 * on the item and price; sequential labels: `buy` = `a` where clicked (NaN elsewhere), `purchase` = click AND `a`.
 */
export function tinyTable(rows: number, seed = 1): EncodedTable {
  const random = seededRandom(seed);
  const categorical = new Int32Array(rows * 3);
  const numeric = new Float32Array(rows);
  const click = new Float32Array(rows);
  const a = new Float32Array(rows);
  const b = new Float32Array(rows);
  const buy = new Float32Array(rows);
  const purchase = new Float32Array(rows);
  for (let i = 0; i < rows; i++) {
    const user = Math.floor(random() * 12);
    const item = Math.floor(random() * 20);
    categorical.set([user, item, Math.floor(random() * 5)], i * 3);
    numeric[i] = random();
    click[i] = (user % 3 === 0) !== random() < 0.2 ? 1 : 0;
    a[i] = (item % 4 === 0) !== random() < 0.1 ? 1 : 0;
    b[i] = (item % 4 === 0 && numeric[i]! > 0.5) !== random() < 0.1 ? 1 : 0;
    buy[i] = click[i] === 1 ? a[i]! : Number.NaN;
    purchase[i] = click[i] === 1 ? a[i]! : 0;
  }
  return { rows, categorical, categoricalCount: 3, numeric, numericCount: 1, labels: { click, a, b, buy, purchase } };
}

/** A backbone with one small MLP per task over `$input`, so that task representations differ. */
export function perTaskBackbone(width = 6): BlockOption {
  return (ctx) =>
    ctx.towerTasks.map(
      (task, i) => new Mlp({ key: '$input', outputKey: task, units: [width], seed: ctx.seed + i, name: `bottom_${task}` }),
    );
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

/** The values of a tensor as a nested plain array, rounded for readable comparisons. */
export function values(t: tf.Tensor): number[] {
  return Array.from(t.dataSync());
}
