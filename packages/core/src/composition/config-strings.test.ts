import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { buildMultiTaskModel, Mlp, ProductHead, SharedBottom, TaskTower, type FeatureSpec } from '../index.js';
import { reloadThroughMemory } from '../persistence/test-models.js';
import { escapeConfigString, escapeConfigStrings, unescapeConfigString, unescapeConfigStrings } from './config-strings.js';

/** tfjs-layers' own rewriting of string values (serialization_utils: toSnakeCase on save, toCamelCase on load). */
function tfjsRoundTrip(value: string): string {
  const intermediate = value.replace(/(.)([A-Z][a-z0-9]+)/g, '$1_$2');
  let snake = intermediate.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
  if (snake[0] === '_') snake = `private${snake}`;
  return snake.indexOf('_') === -1 ? snake : snake.replace(/[_]+(\w|$)/g, (_m, p1: string) => p1.toUpperCase());
}

const awkward = [
  'CTR',
  'click_through',
  'prob:click_through',
  'clickRate',
  'prob:income/original',
  '$input',
  'a~b',
  '_x',
  'A_B~c_',
  'relu',
  '',
];

describe('config string escaping', () => {
  it('tfjs would change these strings; escaped they survive and unescape to the original', () => {
    expect(tfjsRoundTrip('CTR')).toBe('ctr');
    expect(tfjsRoundTrip('click_through')).toBe('clickThrough');
    for (const value of awkward) {
      const escaped = escapeConfigString(value);
      expect(escaped).not.toMatch(/[A-Z_]/);
      expect(tfjsRoundTrip(escaped)).toBe(escaped);
      expect(unescapeConfigString(escaped)).toBe(value);
    }
    expect(escapeConfigString('relu')).toBe('relu');
    expect(escapeConfigString('CTR')).toBe('~c~t~r');
  });

  it('escapes nested values but not the base tfjs layer fields', () => {
    const config = { name: 'tower_CTR', trainable: true, dtype: 'float32', task: 'CTR', keys: ['a_b', { name: 'X_y' }], n: 3 };
    const escaped = escapeConfigStrings(config);
    expect(escaped).toEqual({
      name: 'tower_CTR',
      trainable: true,
      dtype: 'float32',
      task: '~c~t~r',
      keys: ['a~-b', { name: '~x~-y' }],
      n: 3,
    });
    expect(unescapeConfigStrings(escaped)).toEqual(config);
  });

  it('task names with capitals and underscores survive a model save/load in every block config', async () => {
    const features: FeatureSpec[] = [
      { name: 'user_ID', type: 'categorical', vocabularySize: 4, sharedEmbedding: 'Shared_Table' },
      { name: 'Item_id', type: 'categorical', vocabularySize: 4, sharedEmbedding: 'Shared_Table' },
    ];
    const model = buildMultiTaskModel({
      features,
      tasks: [
        { name: 'CTR' },
        { name: 'cvr_rate', parent: 'CTR', weight: 0 },
        { name: 'CTCVR', label: 'cvr_rate', product: ['CTR', 'cvr_rate'] },
      ],
      backbone: (ctx) => new SharedBottom({ tasks: ctx.towerTasks, bottom: { units: [4] }, seed: ctx.seed }),
      blocks: [(ctx) => new Mlp({ key: 'cvr_rate', outputKey: 'cvr_rate', units: [3], seed: ctx.seed, name: 'deep_CVR' })],
    });
    const loaded = await reloadThroughMemory(model.model);
    for (const layer of model.model.layers) {
      expect(loaded.getLayer(layer.name).getConfig()).toEqual(layer.getConfig());
    }
    const tower = loaded.getLayer('tower_cvr_rate') as TaskTower;
    expect(tower.task).toBe('cvr_rate');
    expect(tower.outputKeys).toEqual(['prob:cvr_rate']);
    expect((loaded.getLayer('product_CTCVR') as ProductHead).factors).toEqual(['CTR', 'cvr_rate']);
    expect((loaded.getLayer('features') as unknown as { features: FeatureSpec[] }).features).toEqual(features);
    const x = tf.tensor2d(
      [
        [1, 2],
        [3, 0],
      ],
      [2, 2],
      'int32',
    );
    const [p, q] = [model.model.predict(x) as tf.Tensor[], loaded.predict(x) as tf.Tensor[]];
    expect(q.map((t) => t.arraySync())).toEqual(p.map((t) => t.arraySync()));
    tf.dispose([x, ...p, ...q]);
    model.dispose();
    loaded.dispose();
  });
});
