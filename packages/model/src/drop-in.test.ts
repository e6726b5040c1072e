// Examples, run as tests: the three EKTM blocks dropped into the MMoE, PLE and ESMM models of @ektm/baselines,
// and the reference model on the baselines' MMoE and PLE backbones.
import { describe, expect, it } from 'vitest';
import { buildEsmm, buildMmoe, buildPle } from '@ektm/baselines';
import type { TaskSpec } from '@ektm/core';
import { buildEktm, ektmBlocks, type EktmBackboneName, type EktmBackboneOptions } from './index.js';
import { tinyFeatures, tinyTable } from '@ektm/testing';
import { train } from '../test/train-loop.js';

const parallel: TaskSpec[] = [{ name: 'click' }, { name: 'a' }, { name: 'b' }];
const experts = { experts: 2, expert: { units: [8] } };

describe('EKTM blocks in the baselines', () => {
  it('MMoE + EKTM: the gate mixtures are the task representations the router compares', () => {
    const model = buildMmoe({
      features: tinyFeatures,
      tasks: parallel,
      ...experts,
      tower: { units: [8] },
      blocks: ektmBlocks({ sources: ['click'], targets: ['a', 'b'] }),
    });
    expect(model.spec.outputs).toEqual([
      'prob:click',
      'prob:a',
      'prob:b',
      'prob:a/original',
      'prob:b/original',
      'diag:mmoe/gates',
      'diag:router/similarity',
    ]);
    const losses = train(model, tinyTable(256, 8), { epochs: 3, batchSize: 64 });
    expect(losses[2]!).toBeLessThan(losses[0]!);
    model.dispose();
  });

  it('PLE + EKTM with hard-example weighting and a learned affinity', () => {
    const model = buildPle({
      features: tinyFeatures,
      tasks: parallel,
      levels: 1,
      sharedExperts: 1,
      taskExperts: 1,
      expert: { units: [8] },
      tower: { units: [8] },
      blocks: ektmBlocks({
        sources: ['click'],
        targets: ['a', 'b'],
        router: { similarity: 'affinity' },
        enhancer: { enhancement: 'hard-example' },
      }),
    });
    expect(model.spec.lossTerms.map((t) => t.kind)).toContain('ektm-hard-example');
    const losses = train(model, tinyTable(256, 9), { epochs: 3, batchSize: 64 });
    expect(losses[2]!).toBeLessThan(losses[0]!);
    model.dispose();
  });

  it('ESMM + EKTM: the CTR representation routed into the CVR tower, pCTCVR = pCTR · enhanced pCVR', () => {
    const model = buildEsmm({
      features: tinyFeatures,
      tasks: [{ name: 'click' }, { name: 'purchase', parent: 'click' }],
      tower: { units: [8] },
      backboneOptions: { bottom: { units: [8] } },
      blocks: ektmBlocks({ sources: ['click'], targets: ['cvr'] }),
    });
    expect(model.spec.tasks.map((t) => t.name)).toEqual(['click', 'cvr', 'ctcvr']);
    expect(model.spec.lossTerms.map((t) => t.name)).toEqual(['click', 'ctcvr', 'cvr/original', 'cvr/enhance']);
    const table = tinyTable(256, 10);
    const losses = train(model, table, { epochs: 3, batchSize: 64 });
    expect(losses[2]!).toBeLessThan(losses[0]!);
    const { tasks } = model.predict(table);
    for (let i = 0; i < 10; i++) expect(tasks.ctcvr![i]).toBeCloseTo(tasks.click![i]! * tasks.cvr![i]!, 6);
    model.dispose();
  });

  it('buildEktm on the MMoE and PLE backbones', () => {
    const backbones: Array<[EktmBackboneName, EktmBackboneOptions]> = [
      ['mmoe', experts],
      ['ple', { levels: 1, sharedExperts: 1, taskExperts: 1, expert: { units: [8] } }],
    ];
    for (const [backbone, backboneOptions] of backbones) {
      const model = buildEktm({ features: tinyFeatures, tasks: parallel, backbone, backboneOptions, tower: { units: [8] } });
      expect(model.spec.architecture).toMatchObject({ backbone });
      const losses = train(model, tinyTable(256, 11), { epochs: 3, batchSize: 64 });
      expect(losses[2]!).toBeLessThan(losses[0]!);
      model.dispose();
    }
    expect(() =>
      buildEktm({ features: tinyFeatures, tasks: parallel, backbone: 'mmoe', backboneOptions: { taskLayer: { units: [4] } } }),
    ).toThrow(/taskLayer: only the shared-bottom/);
    expect(() => buildEktm({ features: tinyFeatures, tasks: parallel, backbone: 'moe' as never })).toThrow(
      /backbone: "moe" is not allowed/,
    );
  });
});
