import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { getLossKind } from '@ektm/core';
import { escm2DrLoss, escm2ImputationLoss, escm2IpwLoss } from './escm2-losses.js';

const bce = (p: number, y: number) => -(y * Math.log(p) + (1 - y) * Math.log(1 - p));
// Four impressions: two clicked (o = 1) with conversion labels 1 and 0.
const pCvr = [0.8, 0.3, 0.6, 0.5];
const pCtr = [0.5, 0.02, 0.9, 0.1];
const label = [1, 0, 0, 0];
const clicked = [1, 1, 0, 0];
const imputed = [0.7, 0.2, 0.4, 0.5];
const col = (v: number[]) => tf.tensor2d(v, [v.length, 1]);

describe('ESCM2 counterfactual losses', () => {
  it('IPW = Σ o_i e_i / max(p̂_i, floor) / |D| (by hand)', () => {
    const expected = (bce(0.8, 1) / 0.5 + bce(0.3, 0) / 0.05) / 4; // pCTR 0.02 is floored at 0.05
    const loss = escm2IpwLoss(col(pCvr), col(pCtr), tf.tensor1d(label), tf.tensor1d(clicked), 0.05);
    expect(loss.dataSync()[0]).toBeCloseTo(expected, 5);
    const viaKind = getLossKind('escm2-ipw')({
      outputs: [col(pCvr), col(pCtr)],
      label: tf.tensor1d(label),
      mask: tf.tensor1d(clicked),
      labels: {},
      masks: {},
      options: { minPropensity: 0.05 },
    });
    expect(viaKind.dataSync()[0]).toBeCloseTo(expected, 5);
  });

  it('IPW trains pCVR, never pCTR (the propensity is stop-gradient)', () => {
    const cvr = tf.variable(col(pCvr));
    const ctr = tf.variable(col(pCtr));
    const { grads } = tf.variableGrads(() => escm2IpwLoss(cvr, ctr, tf.tensor1d(label), tf.tensor1d(clicked), 0.05), [cvr, ctr]);
    expect(Array.from(grads[ctr.name]!.dataSync())).toEqual([0, 0, 0, 0]);
    const g = Array.from(grads[cvr.name]!.dataSync());
    expect(g[0]).toBeCloseTo(-1 / 0.8 / 0.5 / 4, 4); // d/dp of −log p, weighted 1/0.5, over |D| = 4
    expect(g[2]).toBe(0); // not clicked: no CVR gradient
  });

  it('DR = Σ [ê_i + o_i (e_i − ê_i) / p̂_i] / |D| with ê = e(r̂, r̃); imputation = Σ o_i (e_i − ê_i)² / p̂_i / |D| (by hand)', () => {
    const p = pCtr.map((v) => Math.max(v, 0.05));
    const e = pCvr.map((r, i) => bce(r, label[i]!));
    const eHat = pCvr.map((r, i) => bce(r, imputed[i]!));
    const dr = eHat.reduce((s, h, i) => s + h + (clicked[i]! * (e[i]! - h)) / p[i]!, 0) / 4;
    const imp = eHat.reduce((s, h, i) => s + (clicked[i]! * (e[i]! - h) ** 2) / p[i]!, 0) / 4;
    const args = [col(pCvr), col(pCtr), col(imputed), tf.tensor1d(label), tf.tensor1d(clicked), 0.05] as const;
    expect(escm2DrLoss(...args).dataSync()[0]).toBeCloseTo(dr, 5);
    expect(escm2ImputationLoss(...args).dataSync()[0]).toBeCloseTo(imp, 5);
  });

  it('DR trains pCVR and the imputation loss trains only the imputation head', () => {
    const [cvr, ctr, imp] = [tf.variable(col(pCvr)), tf.variable(col(pCtr)), tf.variable(col(imputed))];
    const rest = [tf.tensor1d(label), tf.tensor1d(clicked), 0.05] as const;
    const dr = tf.variableGrads(() => escm2DrLoss(cvr, ctr, imp, ...rest), [cvr, ctr, imp]).grads;
    expect(Math.max(...Array.from(dr[cvr.name]!.dataSync()).map(Math.abs))).toBeGreaterThan(0);
    expect(Array.from(dr[ctr.name]!.dataSync())).toEqual([0, 0, 0, 0]);
    expect(Array.from(dr[imp.name]!.dataSync())).toEqual([0, 0, 0, 0]);
    const im = tf.variableGrads(() => escm2ImputationLoss(cvr, ctr, imp, ...rest), [cvr, ctr, imp]).grads;
    expect(Array.from(im[cvr.name]!.dataSync())).toEqual([0, 0, 0, 0]);
    expect(Array.from(im[ctr.name]!.dataSync())).toEqual([0, 0, 0, 0]);
    expect(Math.max(...Array.from(im[imp.name]!.dataSync()).map(Math.abs))).toBeGreaterThan(0);
  });

  it('rejects a bad minPropensity option', () => {
    const kind = getLossKind('escm2-ipw');
    expect(() =>
      kind({
        outputs: [col(pCvr), col(pCtr)],
        label: tf.tensor1d(label),
        mask: tf.tensor1d(clicked),
        labels: {},
        masks: {},
        options: { minPropensity: 0 },
      }),
    ).toThrow(/minPropensity/);
  });
});
