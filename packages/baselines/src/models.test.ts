// The eight one-call builders on tiny data: what they build, that they train through core's trainer, save and
// reload with identical predictions, report their diagnostics, and compose with each other's blocks.
import * as tf from '@tensorflow/tfjs-core';
import { buildMultiTaskModel, ConfigError, Mlp, ModelRegistry, train, type TaskSpec } from '@ektm/core';
import { describe, expect, it } from 'vitest';
import {
  AitmTransfer,
  BASELINE_MODELS,
  buildAitm,
  buildEscm2,
  buildEsmm,
  buildMmoe,
  buildOmoe,
  buildPle,
  CounterfactualCvrTower,
  MixtureOfExperts,
} from './index.js';
import { expectIdenticalAfterReload, tinyFeatures, tinyFunnelTable } from '@ektm/testing';

/** A click → purchase funnel (purchase in the clicked space): every model of the zoo accepts it. */
const funnelTasks: TaskSpec[] = [{ name: 'click' }, { name: 'purchase', parent: 'click' }];
const small = { features: tinyFeatures, embeddingDim: 4, seed: 3, tower: { units: [8] } };
const allSizes: Record<string, unknown> = {
  bottom: { units: [12] },
  experts: 3,
  expert: { units: [8] },
  levels: 2,
  sharedExperts: 1,
  taskExperts: 1,
  backboneOptions: { bottom: { units: [8] } },
};
/** The small sizes a model's builder takes (its schema names them), so that every builder gets only its own keys. */
const sizesOf = (options: object) => Object.fromEntries(Object.entries(allSizes).filter(([key]) => key in options));
const table = tinyFunnelTable(400);

describe('the model zoo', () => {
  it('registers the nine models with a description, a paper and a valid search space', () => {
    const registry = new ModelRegistry(BASELINE_MODELS);
    expect(registry.names()).toEqual(['single-task', 'shared-bottom', 'omoe', 'mmoe', 'ple', 'cgc', 'esmm', 'escm2', 'aitm']);
    expect(registry.mainNames()).toEqual(['single-task', 'shared-bottom', 'mmoe', 'ple', 'esmm', 'aitm']);
    for (const definition of BASELINE_MODELS) {
      expect(definition.description.length).toBeGreaterThan(10);
      expect(definition.paper).toMatch(/(19|20)\d\d/);
      expect(Object.keys(definition.searchSpace)).toContain('learningRate');
    }
  });

  for (const definition of BASELINE_MODELS) {
    const name = definition.name;
    it(`${name}: trains through core's trainer, records its architecture, and reloads with identical predictions`, async () => {
      const model = definition.build({ ...small, ...sizesOf(definition.options), tasks: funnelTasks });
      expect(model.spec.name).toBe(name);
      // CGC is built by PLE's builder with one level.
      expect(model.spec.architecture?.model).toBe(name === 'cgc' ? 'ple' : name);
      const result = await train(model, { train: table, epochs: 4, batchSize: 100, learningRate: 0.02, progress: 'none', seed: 1 });
      const losses = result.history.map((h) => h.losses.total!);
      expect(losses.every(Number.isFinite)).toBe(true);
      expect(losses[losses.length - 1]!).toBeLessThan(losses[0]!);
      await expectIdenticalAfterReload(model, tinyFunnelTable(50, 9));
      model.dispose();
    });
  }

  it('builds the outputs and loss terms each paper prescribes', () => {
    const outputs = (m: { spec: { outputs: string[] } }) => m.spec.outputs;
    const terms = (m: { spec: { lossTerms: Array<{ name: string; kind: string; weight: number }> } }) =>
      m.spec.lossTerms.map((t) => `${t.name}:${t.kind}:${t.weight}`);
    const mmoe = buildMmoe({ ...small, tasks: funnelTasks, experts: 3 });
    expect(outputs(mmoe)).toEqual(['prob:click', 'prob:purchase', 'diag:mmoe/gates']);
    const omoe = buildOmoe({ ...small, tasks: funnelTasks });
    expect(outputs(omoe)).toEqual(['prob:click', 'prob:purchase', 'diag:omoe/gates']);
    const ple = buildPle({ ...small, tasks: funnelTasks, levels: 1 });
    expect(outputs(ple)).toEqual(['prob:click', 'prob:purchase', 'diag:ple/gates']);
    const tapered = buildPle({ ...small, tasks: funnelTasks, taskExperts: 1, levelUnits: [[8], [4]] });
    expect((tapered.spec.architecture?.backboneOptions as { levelUnits?: number[][] }).levelUnits).toEqual([[8], [4]]);
    tapered.dispose();
    const esmm = buildEsmm({ ...small, tasks: funnelTasks });
    expect(esmm.spec.tasks.map((t) => [t.name, t.label, t.parent ?? '', (t.product ?? []).join('·'), t.weight])).toEqual([
      ['click', 'click', '', '', 1],
      ['cvr', 'purchase', 'click', '', 0],
      ['ctcvr', 'purchase', '', 'click·cvr', 1],
    ]);
    expect(terms(esmm)).toEqual(['click:bce:1', 'ctcvr:bce:1']);
    const escm2 = buildEscm2({ ...small, tasks: funnelTasks, counterfactual: 'dr' });
    expect(outputs(escm2)).toEqual(['prob:click', 'prob:cvr', 'prob:ctcvr', 'prob:cvr/imputation']);
    expect(terms(escm2)).toEqual(['click:bce:1', 'ctcvr:bce:1', 'cvr/dr:escm2-dr:0.5', 'cvr/imputation:escm2-imputation:1']);
    const aitm = buildAitm({ ...small, tasks: funnelTasks, tower: undefined });
    expect(aitm.spec.tasks.map((t) => [t.name, t.label, t.parent ?? ''])).toEqual([
      ['click', 'click', ''],
      ['purchase', 'purchase', ''],
    ]);
    expect(outputs(aitm)).toEqual(['prob:click', 'prob:purchase', 'diag:aitm/attention']);
    expect(terms(aitm)).toEqual(['click:bce:1', 'purchase:bce:1', 'purchase/calibrator:aitm-calibrator:0.6']);
    [mmoe, omoe, ple, esmm, escm2, aitm].forEach((m) => m.dispose());
  });

  it('ESMM: pCTCVR is exactly pCTR · pCVR for every row', () => {
    const model = buildEsmm({ ...small, tasks: funnelTasks });
    const { tasks } = model.predict(tinyFunnelTable(40, 5));
    for (let i = 0; i < 40; i++) expect(tasks.ctcvr![i]).toBeCloseTo(tasks.click![i]! * tasks.cvr![i]!, 6);
    model.dispose();
  });

  it('reports mean gate weights per task and expert (MMoE, PLE) and attention weights (AITM)', () => {
    const rows = tinyFunnelTable(64, 4);
    const mmoe = buildMmoe({ ...small, tasks: funnelTasks, experts: 3 }).predict(rows).diagnostics['mmoe/gates']!;
    expect(mmoe.shape).toEqual([2, 3]);
    const ple = buildPle({ ...small, tasks: funnelTasks, taskExperts: 2, sharedExperts: 1 }).predict(rows).diagnostics['ple/gates']!;
    expect(ple.shape).toEqual([2, 3]);
    const aitm = buildAitm({ ...small, tasks: funnelTasks }).predict(rows).diagnostics['aitm/attention']!;
    expect(aitm.shape).toEqual([1, 2]);
    for (const { mean, shape } of [mmoe, ple, aitm]) {
      for (let r = 0; r < shape[0]!; r++) {
        const row = Array.from(mean.subarray(r * shape[1]!, (r + 1) * shape[1]!));
        expect(row.reduce((a, b) => a + b)).toBeCloseTo(1, 5);
      }
    }
  });

  it('treats a task set that is not a funnel as documented', () => {
    const parallel: TaskSpec[] = [{ name: 'a' }, { name: 'b' }];
    expect(() => buildEsmm({ ...small, tasks: parallel })).toThrow(/esmm models a click → conversion funnel.*pass \{ click, conversion \}/);
    expect(() => buildEscm2({ ...small, tasks: parallel })).toThrow(/escm2 models a click → conversion funnel/);
    const aitm = buildAitm({ ...small, tasks: parallel });
    expect(aitm.spec.architecture?.chain).toEqual(['a', 'b']);
    expect(aitm.spec.lossTerms.map((t) => t.name)).toEqual(['a', 'b']); // no calibrator between unrelated tasks
    const chained = buildAitm({ ...small, tasks: parallel, chain: ['b', 'a'], calibratorWeight: 0.3 });
    expect(chained.spec.lossTerms.map((t) => `${t.name}:${t.weight}`)).toEqual(['a:1', 'b:1', 'a/calibrator:0.3']);
    expect(() => buildAitm({ ...small, tasks: parallel, chain: ['a', 'c'] })).toThrow(/aitm.chain: c is not a task/);
    const esmm = buildEsmm({ ...small, tasks: parallel, click: 'a', conversion: 'b' });
    expect(esmm.spec.tasks.map((t) => t.name)).toEqual(['a', 'cvr', 'ctcvr']);
    [aitm, chained, esmm].forEach((m) => m.dispose());
  });

  it('rejects bad options with errors naming them, unknown and mistyped keys included', () => {
    expect(() => buildMmoe(undefined as never)).toThrow(/options object required/);
    expect(() => buildMmoe({ ...small, tasks: funnelTasks, experts: -1 })).toThrow(
      'buildMmoe: option experts: -1 is not allowed; it must be >= 1',
    );
    expect(() => buildPle({ ...small, tasks: funnelTasks, levels: 0 })).toThrow(/buildPle: option levels/);
    expect(() => buildPle({ ...small, tasks: funnelTasks, levelUnits: 'wide' as never })).toThrow(/buildPle: option levelUnits/);
    expect(() => buildPle({ ...small, tasks: funnelTasks, levels: 3, levelUnits: [[8], [4]] })).toThrow(
      /ple.levelUnits: 2 units lists for levels = 3/,
    );
    expect(() => buildEscm2({ ...small, tasks: funnelTasks, counterfactual: 'x' as never })).toThrow(
      /buildEscm2: option counterfactual: "x"/,
    );
    expect(() => buildEsmm({ ...small, tasks: funnelTasks, backbone: 'dcn' as never })).toThrow(
      /buildEsmm: option backbone: "dcn" is not allowed/,
    );
    const typo = (() => {
      try {
        buildMmoe({ ...small, tasks: funnelTasks, expertz: 3 } as never);
      } catch (error) {
        return error as ConfigError;
      }
    })();
    expect(typo).toBeInstanceOf(ConfigError);
    expect([typo?.key, typo?.message]).toEqual([
      'expertz',
      'buildMmoe: option expertz: unknown option (did you mean "experts"?); options are features, tasks, seed, embeddingDim, tower, name, experts, expert, gateTemperature, blocks',
    ]);
    expect(() => buildAitm({ ...small, tasks: funnelTasks, backboneOptions: { bottom: { unit: [4] } } } as never)).toThrow(
      /buildAitm: option backboneOptions.bottom.unit: unknown option/,
    );
  });

  it('says which task sets each model runs on, and adapts the funnel models to several conversions', () => {
    const registry = new ModelRegistry(BASELINE_MODELS);
    const parallel: TaskSpec[] = [{ name: 'income' }, { name: 'marital' }];
    const several: TaskSpec[] = [{ name: 'click' }, { name: 'buy', parent: 'click' }, { name: 'cart', parent: 'click' }];
    const single: TaskSpec[] = [{ name: 'click' }, { name: 'buy', parent: 'click' }];
    expect(registry.plan('esmm', parallel)).toEqual({
      ok: false,
      reason: 'esmm models a click → conversion funnel, and no task of income, marital follows another (no parent)',
    });
    expect(registry.plan('escm2', parallel).ok).toBe(false);
    expect(registry.plan('esmm', several)).toEqual({
      ok: true,
      options: { click: 'click', conversion: 'buy', cvrTask: 'buy' },
      note: 'esmm models one funnel, click → buy; it has no output for cart',
    });
    expect(registry.plan('esmm', single)).toEqual({ ok: true, options: { click: 'click', conversion: 'buy', cvrTask: 'buy' } });
    const esmmShaped: TaskSpec[] = [{ name: 'click' }, { name: 'cvr', parent: 'click' }, { name: 'ctcvr', product: ['click', 'cvr'] }];
    expect(registry.plan('esmm', esmmShaped)).toEqual({ ok: true, options: {} });
    expect(registry.plan('aitm', parallel)).toEqual({ ok: true, options: {} });
    expect(registry.plan('aitm', [{ name: 'only' }])).toMatchObject({
      ok: false,
      reason: expect.stringContaining('only only with a tower'),
    });
    for (const name of ['single-task', 'shared-bottom', 'omoe', 'mmoe', 'ple']) expect(registry.plan(name, parallel).ok).toBe(true);
    // The adapted ESMM names its CVR task after the conversion, so its metrics line up with the other models'.
    const plan = registry.plan('esmm', single);
    const esmm = registry.build('esmm', { ...small, tasks: single, ...(plan.ok ? plan.options : {}) });
    expect(esmm.taskNames).toEqual(['click', 'buy', 'ctcvr']);
    esmm.dispose();
  });
});

describe('composition: blocks of different papers in one model', () => {
  it('an ESMM head on an MMoE backbone trains, and its product stays exact', async () => {
    const model = buildEsmm({ ...small, tasks: funnelTasks, backbone: 'mmoe', backboneOptions: { experts: 3, expert: { units: [8] } } });
    expect(model.spec.outputs).toContain('diag:mmoe/gates');
    const result = await train(model, { train: table, epochs: 3, batchSize: 100, learningRate: 0.02, progress: 'none' });
    expect(result.history[2]!.losses.total!).toBeLessThan(result.history[0]!.losses.total!);
    const { tasks } = model.predict(tinyFunnelTable(20, 6));
    for (let i = 0; i < 20; i++) expect(tasks.ctcvr![i]).toBeCloseTo(tasks.click![i]! * tasks.cvr![i]!, 6);
    model.dispose();
  });

  it('MMoE → task-specific tower layers → AITM transfer → ESCM2 counterfactual tower → ESMM product, from parts', async () => {
    const model = buildMultiTaskModel({
      name: 'composed',
      features: tinyFeatures,
      embeddingDim: 4,
      seed: 2,
      tasks: [
        { name: 'click' },
        { name: 'cvr', label: 'purchase', parent: 'click', weight: 0 },
        { name: 'ctcvr', label: 'purchase', product: ['click', 'cvr'] },
      ],
      backbone: (ctx) => new MixtureOfExperts({ tasks: ctx.towerTasks, experts: 3, expert: { units: [8] }, seed: ctx.seed }),
      blocks: [
        (ctx) => ctx.towerTasks.map((task, i) => new Mlp({ key: task, units: [6], seed: ctx.seed + i, name: `task_layer_${task}` })),
        (ctx) => new AitmTransfer({ chain: ['click', 'cvr'], calibratorWeight: 0, seed: ctx.seed }),
        (ctx) => new CounterfactualCvrTower({ task: 'cvr', clickTask: 'click', hidden: { units: [4] }, seed: ctx.seed }),
      ],
      tower: { units: [4] },
    });
    expect(model.spec.outputs).toEqual(['prob:click', 'prob:cvr', 'prob:ctcvr', 'diag:mmoe/gates', 'diag:aitm/attention']);
    expect(model.spec.lossTerms.map((t) => t.name)).toEqual(['click', 'ctcvr', 'cvr/ipw']);
    const before = tf.memory().numTensors;
    const result = await train(model, { train: table, epochs: 3, batchSize: 100, learningRate: 0.02, progress: 'none' });
    expect(result.history[2]!.losses.total!).toBeLessThan(result.history[0]!.losses.total!);
    expect(tf.memory().numTensors).toBeLessThanOrEqual(before + 5);
    await expectIdenticalAfterReload(model, tinyFunnelTable(30, 7));
    model.dispose();
  });
});
