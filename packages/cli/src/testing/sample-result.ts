import type { Comparison, CompareResult, CompareRun, TaskLeader } from '../compare/compare-result.js';

/** A hand-made comparison: `delta ± half` with p and the Holm-adjusted p. */
function comparison(task: string, model: string, reference: string, deltaAuc: number, half: number, p: number, pHolm: number): Comparison {
  return {
    task,
    model,
    reference,
    referenceRole: reference === 'single-task' ? 'single-task' : 'best baseline',
    deltaAuc,
    ci95: [deltaAuc - half, deltaAuc + half],
    se: half / 1.96,
    p,
    pHolm,
    method: 'DeLong test of the single seed (hand-made sample)',
    seeds: [0, 1],
  };
}

/**
 * A small, hand-made comparison result (3 models × 2 seeds × 3 tasks, with curves, diagnostics and the statistics:
 * comparisons against single-task and mmoe, leaders, test positives and the share of the gap closed), for tests of
 * the table, the JSON shape and the report that must not depend on training.
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
    comparisons: [
      comparison('purchase', 'mmoe', 'single-task', 0.03, 0.02, 0.003, 0.012),
      comparison('cart', 'mmoe', 'single-task', 0.01, 0.02, 0.3, 0.6),
      comparison('mean of targets', 'mmoe', 'single-task', 0.02, 0.015, 0.01, 0.03),
      comparison('purchase', 'ektm', 'single-task', 0.05, 0.02, 0.0001, 0.0006),
      comparison('cart', 'ektm', 'single-task', 0.03, 0.02, 0.004, 0.012),
      comparison('mean of targets', 'ektm', 'single-task', 0.04, 0.015, 0.0002, 0.001),
      comparison('purchase', 'single-task', 'mmoe', -0.03, 0.02, 0.003, 0.012),
      comparison('cart', 'single-task', 'mmoe', -0.01, 0.02, 0.3, 0.6),
      comparison('mean of targets', 'single-task', 'mmoe', -0.02, 0.015, 0.01, 0.03),
      comparison('purchase', 'ektm', 'mmoe', 0.02, 0.015, 0.01, 0.03),
      comparison('cart', 'ektm', 'mmoe', 0.02, 0.025, 0.12, 0.24),
      comparison('mean of targets', 'ektm', 'mmoe', 0.02, 0.012, 0.001, 0.006),
    ],
    statistics: {
      alpha: 0.05,
      markUses: 'pHolm',
      holmFamily: 'per reference: every model × (each target task and the mean of targets)',
      references: { singleTask: 'single-task', bestBaseline: { model: 'mmoe', validationMonitor: 0.63 } },
      testSpace: { click: { rows: 400, positives: 80 }, purchase: { rows: 80, positives: 20 }, cart: { rows: 80, positives: 30 } },
      leaders: [
        leader('click', 'mmoe', 'ektm', 0, 1, false),
        leader('purchase', 'ektm', 'mmoe', 0.02, 0.01, true),
        leader('cart', 'ektm', 'mmoe', 0.02, 0.12, false),
        leader('mean of targets', 'ektm', 'mmoe', 0.02, 0.001, true),
      ],
      gapClosed: [
        {
          task: 'purchase',
          model: 'mmoe',
          reference: 'single-task',
          share: 0.3,
          ci95: [0.1, 0.5],
          aucOptimal: 0.7,
          method: 'hand-made',
          seeds: [0, 1],
        },
        {
          task: 'purchase',
          model: 'ektm',
          reference: 'single-task',
          share: 0.5,
          ci95: [0.3, 0.7],
          aucOptimal: 0.7,
          method: 'hand-made',
          seeds: [0, 1],
        },
        {
          task: 'cart',
          model: 'mmoe',
          reference: 'single-task',
          share: 0.14,
          ci95: [-0.1, 0.4],
          aucOptimal: 0.72,
          method: 'hand-made',
          seeds: [0, 1],
        },
        {
          task: 'cart',
          model: 'ektm',
          reference: 'single-task',
          share: 0.43,
          ci95: [0.2, 0.7],
          aucOptimal: 0.72,
          method: 'hand-made',
          seeds: [0, 1],
        },
      ],
      notes: [],
    },
    createdAt: '2026-01-01T00:00:00.000Z',
    versions: { node: '20' },
  };
}

/** A hand-made leader of a task. */
function leader(task: string, model: string, runnerUp: string, deltaAuc: number, p: number, best: boolean): TaskLeader {
  return { task, model, runnerUp, deltaAuc, ci95: [deltaAuc - 0.02, deltaAuc + 0.02], p, best };
}

/**
 * A hand-made data-efficiency curve for {@link sampleResult} (two training sizes, every model, both targets and their
 * mean), as `ektm compare --train-rows 500,1000` would add it.
 */
export function sampleCurve(): NonNullable<CompareResult['trainRowsCurve']> {
  const models = ['single-task', 'mmoe', 'ektm'];
  const tasks = ['purchase', 'cart', 'mean of targets'];
  return [500, 1000].map((trainRows, size) => ({
    trainRows,
    trainPositives: { click: trainRows / 5, purchase: trainRows / 20, cart: trainRows / 15 },
    points: models.flatMap((model, m) =>
      tasks.map((task) => {
        const auc = 0.6 + 0.02 * m + 0.03 * size;
        return { model, task, auc, ci95: [auc - 0.02, auc + 0.02] as [number, number], method: 'hand-made', seeds: [0, 1] };
      }),
    ),
    comparisons: [],
  }));
}
