import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { auc, tableInputs, type TaskSpec } from '@ektm/core';
import { ConfigError, ModelRegistry } from '@ektm/core';
import { buildEktm, EKTM_MODELS, ektmBlocks } from './index.js';
import { saveAndLoad, tinyFeatures, tinyTable, values } from '@ektm/testing';
import { modelLoss, train } from '../test/train-loop.js';

const parallel: TaskSpec[] = [{ name: 'click' }, { name: 'a' }, { name: 'b' }];
const small = { backboneOptions: { bottom: { units: [16] }, taskLayer: { units: [8] } }, tower: { units: [8] }, embeddingDim: 4 };

function layerNames(model: { model: { layers: Array<{ name: string }> } }): string[] {
  return model.model.layers.map((l) => l.name);
}

describe('buildEktm', () => {
  it('composes backbone → router → transmitter and enhancer per target → towers, with their outputs and loss terms', () => {
    const model = buildEktm({ features: tinyFeatures, tasks: parallel, ...small });
    expect(model.spec.name).toBe('ektm');
    expect(model.spec.outputs).toEqual(['prob:click', 'prob:a', 'prob:b', 'prob:a/original', 'prob:b/original', 'diag:router/similarity']);
    expect(model.spec.lossTerms.map((t) => `${t.name}:${t.kind}:${t.weight}`)).toEqual([
      'click:bce:1',
      'a:bce:1',
      'b:bce:1',
      'a/original:bce:1',
      'a/enhance:ektm-enhancement-hinge:1',
      'b/original:bce:1',
      'b/enhance:ektm-enhancement-hinge:1',
    ]);
    const names = layerNames(model);
    for (const n of ['shared_bottom', 'task_layer_a', 'ektm_router', 'ektm_transmitter_a', 'ektm_enhancer_b', 'tower_click'])
      expect(names).toContain(n);
    expect(model.spec.architecture).toMatchObject({
      model: 'ektm',
      backbone: 'shared-bottom',
      sources: ['click'],
      targets: ['a', 'b'],
      ablations: {},
    });
    model.dispose();
  });

  it('the single-task backbone gives every task its own network over the shared embeddings, and no per-task layer', () => {
    const model = buildEktm({
      features: tinyFeatures,
      tasks: parallel,
      ...small,
      backbone: 'single-task',
      backboneOptions: { bottom: { units: [16] } },
    });
    const names = layerNames(model);
    expect(names).toContain('single_task');
    expect(names).not.toContain('shared_bottom');
    expect(names.some((n) => n.startsWith('task_layer_'))).toBe(false);
    expect(model.spec.architecture).toMatchObject({ backbone: 'single-task', sources: ['click'], targets: ['a', 'b'] });
    const { tasks } = model.predict(tinyTable(32, 1));
    expect(tasks.a).toHaveLength(32);
    model.dispose();
    expect(() =>
      buildEktm({
        features: tinyFeatures,
        tasks: parallel,
        ...small,
        backbone: 'single-task',
        backboneOptions: { taskLayer: { units: [8] } },
      }),
    ).toThrow(/backboneOptions.taskLayer: only the shared-bottom backbone has a per-task layer, not "single-task"/);
  });

  it('each ablation removes or flattens exactly its part', () => {
    const build = (ablations: object) => buildEktm({ features: tinyFeatures, tasks: parallel, ...small, ablations });
    const noRouter = build({ router: false });
    expect(layerNames(noRouter)).not.toContain('ektm_router');
    expect(noRouter.spec.outputs).not.toContain('diag:router/similarity');
    const uniform = build({ similarity: 'uniform' });
    expect((uniform.model.getLayer('ektm_router').getConfig() as { similarity: string }).similarity).toBe('uniform');
    const identity = build({ transmitter: 'identity' });
    expect(identity.model.getLayer('ektm_transmitter_a').countParams()).toBe(0);
    const noEnhancer = build({ enhancer: false });
    expect(layerNames(noEnhancer).some((n) => n.includes('enhancer'))).toBe(false);
    expect(noEnhancer.spec.lossTerms.map((t) => t.name)).toEqual(['click', 'a', 'b']);
    expect(noEnhancer.spec.outputs).toEqual(['prob:click', 'prob:a', 'prob:b', 'diag:router/similarity']);
    const everything = build({ router: false, transmitter: 'identity', enhancer: false });
    expect(everything.spec.lossTerms.map((t) => t.name)).toEqual(['click', 'a', 'b']);
    expect(() => build({ router: true })).toThrow(/option ablations\.router: true is not allowed; use one of false/);
    expect(() => build({ towers: false })).toThrow(
      /option ablations\.towers: unknown option; options are router, similarity, transmitter, enhancer/,
    );
    for (const m of [noRouter, uniform, identity, noEnhancer, everything]) m.dispose();
  });

  it('every registered variant builds, trains (the loss falls) and predicts', () => {
    const registry = new ModelRegistry(EKTM_MODELS);
    expect(registry.mainNames()).toEqual(['ektm']);
    expect(registry.names()).toEqual([
      'ektm',
      'ektm-no-router',
      'ektm-uniform',
      'ektm-identity-transmitter',
      'ektm-no-enhancer',
      'ektm-mmoe',
      'ektm-ple',
      'ektm-single-task',
      'ektm-hard-example',
    ]);
    const table = tinyTable(256, 3);
    const smallExperts = { ...small, backboneOptions: { experts: 2, sharedExperts: 1, taskExperts: 1, expert: { units: [8] } } };
    const smallBottoms = { ...small, backboneOptions: { bottom: { units: [16] } } };
    const sizesOf = (name: string) =>
      name === 'ektm-mmoe' || name === 'ektm-ple' ? smallExperts : name === 'ektm-single-task' ? smallBottoms : small;
    for (const name of registry.names()) {
      const sizes = sizesOf(name);
      const model = registry.build(name, { features: tinyFeatures, tasks: parallel, ...sizes, seed: 2 });
      if (sizes !== small) expect(model.spec.architecture).toMatchObject({ backbone: name.slice('ektm-'.length) });
      expect(model.spec.name).toBe(name);
      const losses = train(model, table, { epochs: 4, batchSize: 64, learningRate: 0.02 });
      expect(losses[3]!).toBeLessThan(losses[0]!);
      const { tasks } = model.predict(table);
      expect(tasks.b!.every((p) => p > 0 && p < 1)).toBe(true);
      model.dispose();
    }
  });

  it('rejects misspelt options naming them, and says which task sets it runs on', () => {
    const registry = new ModelRegistry(EKTM_MODELS);
    let error: unknown;
    try {
      buildEktm({ features: tinyFeatures, tasks: parallel, ...small, enhancer: { enhancementWieght: 2 } } as never);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).key).toBe('enhancer.enhancementWieght');
    expect((error as Error).message).toContain('(did you mean "enhancementWeight"?)');
    expect(() => registry.build('ektm', { features: tinyFeatures, tasks: parallel, router: { similarity: 'jaccard' } })).toThrow(
      /ektm: option router.similarity: "jaccard" is not allowed; use one of "cosine", "dot", "affinity", "uniform"/,
    );
    expect(registry.plan('ektm', parallel)).toEqual({ ok: true, options: {} });
    const single = registry.plan('ektm', [{ name: 'click' }]);
    expect(single.ok).toBe(false);
    expect(single.ok ? '' : single.reason).toMatch(/^ektm needs a source task and a target task: targets: no target task left/);
    // A variant does not tune what its switches fix.
    expect(Object.keys(registry.get('ektm').searchSpace)).toContain('router.temperature');
    expect(Object.keys(registry.get('ektm-no-router').searchSpace)).not.toContain('router.temperature');
    expect(Object.keys(registry.get('ektm-mmoe').searchSpace)).toContain('backboneOptions.experts');
    expect(Object.keys(registry.get('ektm-single-task').searchSpace)).toContain('backboneOptions.bottom.units');
    expect(Object.keys(registry.get('ektm-single-task').searchSpace)).not.toContain('backboneOptions.taskLayer.units');
  });

  it('sequential pattern: a target in its parent clicked space builds, trains and uses only clicked rows', () => {
    const model = buildEktm({
      features: tinyFeatures,
      tasks: [{ name: 'click' }, { name: 'cvr', label: 'buy', parent: 'click' }],
      ...small,
    });
    expect(model.spec.architecture).toMatchObject({ sources: ['click'], targets: ['cvr'] });
    const table = tinyTable(256, 4);
    const losses = train(model, table, { epochs: 3, batchSize: 64 });
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[2]!).toBeLessThan(losses[0]!);
    // Rows outside the clicked space do not move the CVR terms.
    const unclicked = { ...table, labels: { ...table.labels, click: new Float32Array(table.rows) } };
    const { terms, total } = tf.tidy(() => modelLoss(model, unclicked, false));
    expect(terms['cvr']!.dataSync()[0]).toBe(0);
    expect(terms['cvr/original']!.dataSync()[0]).toBe(0);
    expect(terms['cvr/enhance']!.dataSync()[0]).toBe(0);
    tf.dispose([total, ...Object.values(terms)]);
    model.dispose();
  });

  it('sequential pattern, ESMM-style: pCTCVR = pCTR · pCVR on top of the enhanced CVR tower', () => {
    const model = buildEktm({
      features: tinyFeatures,
      tasks: [
        { name: 'click' },
        { name: 'cvr', label: 'buy', parent: 'click', weight: 0 },
        { name: 'ctcvr', label: 'a', product: ['click', 'cvr'] },
      ],
      ...small,
    });
    expect(model.spec.lossTerms.map((t) => t.name)).toEqual(['click', 'ctcvr', 'cvr/original', 'cvr/enhance']);
    const table = tinyTable(256, 5);
    const losses = train(model, table, { epochs: 3, batchSize: 64 });
    expect(losses[2]!).toBeLessThan(losses[0]!);
    const { tasks } = model.predict(table);
    for (let i = 0; i < 20; i++) expect(tasks.ctcvr![i]).toBeCloseTo(tasks.click![i]! * tasks.cvr![i]!, 6);
    model.dispose();
  });

  it('learns the targets: test AUC well above chance after a short training', () => {
    const model = buildEktm({ features: tinyFeatures, tasks: parallel, ...small, seed: 1 });
    train(model, tinyTable(1024, 6), { epochs: 6, batchSize: 128, learningRate: 0.02 });
    const test = tinyTable(512, 7);
    const { tasks, diagnostics } = model.predict(test);
    expect(auc(tasks.a!, test.labels.a!)!).toBeGreaterThan(0.75);
    expect(auc(tasks.b!, test.labels.b!)!).toBeGreaterThan(0.7);
    expect(diagnostics['router/similarity']!.shape).toEqual([2, 2]);
    model.dispose();
  });

  it('saves and loads with identical predictions', async () => {
    const model = buildEktm({
      features: tinyFeatures,
      tasks: parallel,
      ...small,
      enhancer: { enhancement: 'hard-example', fusion: 'concat-mlp' },
    });
    const loaded = await saveAndLoad(model.model);
    const inputs = tableInputs(tinyTable(16));
    const a = model.model.predict([inputs.categorical, inputs.numeric!]) as tf.Tensor[];
    const b = loaded.predict([inputs.categorical, inputs.numeric!]) as tf.Tensor[];
    a.forEach((t, i) => expect(values(b[i]!)).toEqual(values(t)));
    tf.dispose([...a, ...b, inputs.categorical, inputs.numeric!]);
  });

  it('ektmBlocks validates its inputs', () => {
    expect(() => ektmBlocks({ sources: ['click'], targets: [] })).toThrow(/targets \(non-empty array\)/);
  });
});
