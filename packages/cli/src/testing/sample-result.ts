import type { CompareResult, CompareRun } from '../compare/compare-result.js';

/**
 * A small, hand-made comparison result (3 models × 2 seeds × 3 tasks, with curves and diagnostics), for
 * tests of the table, the JSON shape and the report that must not depend on training.
 */
export function sampleResult(): CompareResult {
  const tasks = ['click', 'purchase', 'cart'];
  const auc: Record<string, number[]> = { 'single-task': [0.7, 0.6, 0.65], mmoe: [0.71, 0.63, 0.66], ektm: [0.71, 0.65, 0.68] };
  const runs: CompareRun[] = [];
  for (const model of Object.keys(auc)) {
    for (const seed of [0, 1]) {
      const jitter = seed === 0 ? -0.005 : 0.005;
      runs.push({
        model,
        seed,
        epochs: 3,
        bestEpoch: 2,
        trainSeconds: 10 + seed,
        trainSamplesPerSec: 5000,
        parameters: 1000,
        tasks: Object.fromEntries(tasks.map((t, i) => [t, { auc: auc[model]![i]! + jitter, logloss: 0.4 + i / 10 }])),
        curves: [1, 2, 3].map((epoch) => ({
          epoch,
          trainLoss: 1 / epoch,
          monitor: 0.6 + epoch / 100,
          validation: Object.fromEntries(tasks.map((t) => [t, { auc: 0.6 + epoch / 100, logloss: 0.5 - epoch / 100 }])),
        })),
        diagnostics:
          model === 'ektm'
            ? [
                {
                  name: 'router/similarity',
                  shape: [2, 2],
                  values: [0.6, 0.4, 0.3, 0.7],
                  rowLabels: ['purchase', 'cart'],
                  columnLabels: ['purchase', 'cart'],
                },
              ]
            : model === 'mmoe'
              ? [{ name: 'mmoe/gates', shape: [3, 4], values: [0.1, 0.2, 0.3, 0.4, 0.25, 0.25, 0.25, 0.25, 0.4, 0.3, 0.2, 0.1] }]
              : [],
      });
    }
  }
  return {
    dataset: 'synthetic',
    taskSet: 'ektm',
    backend: 'wasm',
    results: runs,
    taskNames: tasks,
    targetTasks: ['purchase', 'cart'],
    protocol: {
      epochs: 3,
      batchSize: 512,
      learningRate: 0.001,
      patience: 2,
      monitor: 'mean validation AUC of purchase, cart',
      models: Object.keys(auc),
      seeds: [0, 1],
    },
    splits: { train: 1000, validation: 200, test: 400 },
    optimalAuc: { click: 0.75, purchase: 0.7, cart: 0.72 },
    createdAt: '2026-01-01T00:00:00.000Z',
    versions: { node: '20' },
  };
}
