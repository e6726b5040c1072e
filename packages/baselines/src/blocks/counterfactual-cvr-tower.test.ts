import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { CounterfactualCvrTower } from './counterfactual-cvr-tower.js';
import { randomInput, values, runLayerChecklist } from '@ektm/testing';

describe('CounterfactualCvrTower', () => {
  it('passes the layer checklist (IPW)', () => {
    runLayerChecklist(
      () => new CounterfactualCvrTower({ task: 'cvr', clickTask: 'click', hidden: { units: [4] }, seed: 1 }),
      [randomInput(5, 6)],
      [[5, 1]],
    );
  });

  it('passes the layer checklist (DR: CVR and imputation heads)', () => {
    runLayerChecklist(
      () => new CounterfactualCvrTower({ task: 'cvr', clickTask: 'click', counterfactual: 'dr', hidden: { units: [] } }),
      [randomInput(5, 6)],
      [
        [5, 1],
        [5, 1],
      ],
    );
  });

  it('is a sigmoid head: p = σ(x·w + b) (weights set by hand)', () => {
    const tower = new CounterfactualCvrTower({ task: 'cvr', clickTask: 'click', hidden: { units: [] } });
    const x = tf.tensor2d([[1, -2]]);
    tower.apply(x);
    tower.setWeights([tf.tensor2d([[0.5], [0.25]]), tf.tensor1d([1])]);
    expect(values(tower.apply(x) as tf.Tensor)[0]).toBeCloseTo(1 / (1 + Math.exp(-1)), 6);
  });

  it('contributes the counterfactual loss terms', () => {
    expect(new CounterfactualCvrTower({ task: 'cvr', clickTask: 'click', counterfactualWeight: 0.2 }).lossTerms()).toEqual([
      {
        name: 'cvr/ipw',
        kind: 'escm2-ipw',
        outputs: ['prob:cvr', 'prob:click'],
        task: 'cvr',
        weight: 0.2,
        role: 'auxiliary',
        options: { minPropensity: 0.05 },
      },
    ]);
    const dr = new CounterfactualCvrTower({ task: 'cvr', clickTask: 'click', counterfactual: 'dr', minPropensity: 0.1 });
    expect(dr.outputKeys).toEqual(['prob:cvr', 'prob:cvr/imputation']);
    expect(dr.lossTerms().map((t) => [t.name, t.kind, t.weight, t.outputs.join(' ')])).toEqual([
      ['cvr/dr', 'escm2-dr', 0.5, 'prob:cvr prob:click prob:cvr/imputation'],
      ['cvr/imputation', 'escm2-imputation', 1, 'prob:cvr prob:click prob:cvr/imputation'],
    ]);
  });

  it('rejects bad options naming them', () => {
    expect(() => new CounterfactualCvrTower({ task: 'cvr', clickTask: 'cvr' })).toThrow(/escm2.clickTask/);
    expect(() => new CounterfactualCvrTower({ task: 'cvr', clickTask: 'click', counterfactual: 'snips' as never })).toThrow(/ipw or dr/);
    expect(() => new CounterfactualCvrTower({ task: 'cvr', clickTask: 'click', minPropensity: 0 })).toThrow(/escm2.minPropensity/);
    expect(() => new CounterfactualCvrTower({ task: 'cvr', clickTask: 'click', counterfactualWeight: -1 })).toThrow(
      /escm2.counterfactualWeight/,
    );
  });
});
