// Tiny seeded tables shared by the packages' tests: four features, labels that depend on them, and random inputs.
import * as tf from '@tensorflow/tfjs-core';
import { seededRandom, type EncodedTable, type FeatureSpec } from '@ektm/core';

/** Three categorical fields and one numeric field. */
export const tinyFeatures: FeatureSpec[] = [
  { name: 'user', type: 'categorical', vocabularySize: 12 },
  { name: 'item', type: 'categorical', vocabularySize: 20 },
  { name: 'ctx', type: 'categorical', vocabularySize: 5 },
  { name: 'price', type: 'numeric' },
];

/**
 * A seeded table over {@link tinyFeatures} whose labels depend on the features, for EKTM's blocks: `click` on the
 * user and item, `a`/`b` (conversions) on the item and price; sequential labels: `buy` = `a` where clicked (NaN
 * elsewhere), `purchase` = click AND `a`.
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

/**
 * A seeded funnel table over {@link tinyFeatures}, for the baselines: `click` (user and item), `purchase` (entire
 * space: 1 only where clicked; item and price), and two parallel tasks `a`, `b`.
 */
export function tinyFunnelTable(rows: number, seed = 1): EncodedTable {
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

/** Seeded uniform inputs in `[-1, 1)`, shaped `[rows, width]`. */
export function randomInput(rows: number, width: number, seed = 3): tf.Tensor2D {
  const random = seededRandom(seed);
  return tf.tensor2d(
    Float32Array.from({ length: rows * width }, () => random() * 2 - 1),
    [rows, width],
  );
}

/** A tensor's values as a plain array. */
export function values(t: tf.Tensor): number[] {
  return Array.from(t.dataSync());
}
