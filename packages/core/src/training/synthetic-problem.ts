import type { EncodedTable } from '../data/encoded-table.js';
import type { FeatureSpec } from '../features/feature-spec.js';
import { SharedBottom } from '../blocks/shared-bottom.js';
import { buildMultiTaskModel } from '../model/build-model.js';
import type { MultiTaskModel } from '../model/multi-task-model.js';
import type { TaskSpec } from '../tasks/task-spec.js';
import { seededRandom } from '../util/seeds.js';

/**
 * A small, learnable click → conversion problem for the trainer's tests and examples: three categorical fields
 * (user, item, context); the click probability depends on user and item, the conversion probability (given a
 * click) on item and context, each through a fixed random effect per id. Labels are sampled, so a good model
 * reaches an AUC well above 0.5 but not 1.
 */
export const SYNTHETIC_FEATURES: FeatureSpec[] = [
  { name: 'user', type: 'categorical', vocabularySize: 24 },
  { name: 'item', type: 'categorical', vocabularySize: 32 },
  { name: 'context', type: 'categorical', vocabularySize: 6 },
];

/** Click task, and a CVR task (label `buy`) in the clicked space. */
export const SYNTHETIC_TASKS: TaskSpec[] = [{ name: 'click' }, { name: 'cvr', label: 'buy', parent: 'click' }];

/** Rows of the synthetic problem; `seed` picks the rows (the effects per id are the same for every seed). */
export function syntheticTable(rows: number, seed: number, options: { groups?: boolean } = {}): EncodedTable {
  const effects = seededRandom(12345);
  const effect = (n: number, scale: number) => Float64Array.from({ length: n }, () => (effects() * 2 - 1) * scale);
  const userClick = effect(24, 2);
  const itemClick = effect(32, 2);
  const itemBuy = effect(32, 2.5);
  const contextBuy = effect(6, 1.5);
  const random = seededRandom(seed);
  const categorical = new Int32Array(rows * 3);
  const click = new Float32Array(rows);
  const buy = new Float32Array(rows);
  const groups = options.groups ? new Int32Array(rows) : undefined;
  const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
  for (let i = 0; i < rows; i++) {
    const user = 1 + Math.floor(random() * 23);
    const item = 1 + Math.floor(random() * 31);
    const context = 1 + Math.floor(random() * 5);
    categorical.set([user, item, context], i * 3);
    click[i] = random() < sigmoid(userClick[user]! + itemClick[item]! - 0.5) ? 1 : 0;
    buy[i] = click[i] === 1 && random() < sigmoid(itemBuy[item]! + contextBuy[context]!) ? 1 : 0;
    if (groups) groups[i] = user;
  }
  return { rows, categorical, categoricalCount: 3, numeric: new Float32Array(0), numericCount: 0, labels: { click, buy }, groups };
}

/** A small shared-bottom model for the synthetic problem. */
export function syntheticModel(seed = 0, tasks: TaskSpec[] = SYNTHETIC_TASKS, dropout = 0): MultiTaskModel {
  return buildMultiTaskModel({
    features: SYNTHETIC_FEATURES,
    embeddingDim: 4,
    tasks,
    backbone: (ctx) => new SharedBottom({ tasks: ctx.towerTasks, bottom: { units: [16], dropout }, seed: ctx.seed }),
    tower: { units: [8] },
    seed,
  });
}
