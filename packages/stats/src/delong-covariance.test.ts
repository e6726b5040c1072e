import { describe, expect, it } from 'vitest';
import { delongCovariance } from './delong-covariance.js';
import { minstdPanel } from '../test/minstd-panel.js';

describe('delongCovariance', () => {
  it('matches pROC’s var() and cov(method = "delong") for three models', () => {
    // pROC 1.18.0 on the 600-row panel (a, b, optimal): var 0.00043920586214445665, 0.00053649871433423103,
    // 0.00021525908450169121; cov(a, b) 5.5172412498173361e-05, cov(a, o) -8.0164436129653442e-06,
    // cov(b, o) 2.3953605925440084e-05; AUCs 0.78065487757481533, 0.71878990616845262, 0.87282771639553602.
    const p = minstdPanel(600, 20260101, 0.3);
    const r = delongCovariance(p.labels, [p.a, p.b, p.optimal]);
    const expected = [
      [0.00043920586214445665, 5.5172412498173361e-5, -8.0164436129653442e-6],
      [5.5172412498173361e-5, 0.00053649871433423103, 2.3953605925440084e-5],
      [-8.0164436129653442e-6, 2.3953605925440084e-5, 0.00021525908450169121],
    ];
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) expect(r.covariance[i]![j]).toBeCloseTo(expected[i]![j]!, 16);
    expect(r.aucs[2]).toBeCloseTo(0.87282771639553602, 14);
    expect(r.positives).toBe(166);
    expect(r.negatives).toBe(434);
  });
});
