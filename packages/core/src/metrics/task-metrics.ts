import type { ResolvedTaskSpec } from '../tasks/task-spec.js';
import { auc } from './auc.js';
import { calibration } from './calibration.js';
import { gauc } from './gauc.js';
import { GrowableArray, growableFloat32, growableInt32, growableUint8 } from './growable.js';
import { logloss } from './logloss.js';
import { ConfigError } from '../errors/config-error.js';
import { DataError } from '../errors/data-error.js';

/** Metrics of one task over its own sample space. */
export interface TaskMetrics {
  /** Task name. */
  task: string;
  /**
   * Which rows the metrics below count: `entire` = every row whose label is present;
   * `parent` = rows whose label is present and whose parent task's label (and each further
   * ancestor's) is exactly 1 — the same mask as the loss (`taskLabelsAndMasks`).
   */
  space: 'entire' | 'parent';
  /** Rows counted. */
  count: number;
  /** Rows counted with label 1 (for an `mse` task: label > 0). */
  positives: number;
  /** Exact AUC; `undefined` with a single class, and for `mse` tasks. */
  auc: number | undefined;
  /** Impression-weighted group AUC; present only when groups were given. */
  gauc?: number | undefined;
  /** Groups that counted towards `gauc` (both classes present); present only when groups were given. */
  gaucGroups?: number;
  /** Mean clipped binary cross-entropy; `undefined` for no rows and for `mse` tasks. */
  logloss: number | undefined;
  /** Mean prediction / mean label; `undefined` when the mean label is 0. */
  calibration: number | undefined;
  /** Mean prediction. */
  meanPrediction: number | undefined;
  /** Mean label (the positive rate for 0/1 labels). */
  positiveRate: number | undefined;
  /** Mean squared error; only for `mse` tasks. */
  mse?: number | undefined;
  /**
   * Only for tasks with a parent: the same predictions' AUC over every row whose own label is
   * present, whatever the parent's label (no label is invented for rows where it is missing).
   * Shows how a head trained in the parent's space ranks the whole impression space.
   */
  entireSpaceAuc?: number | undefined;
  /** Rows behind `entireSpaceAuc`. */
  entireSpaceCount?: number;
}

/** Options of {@link TaskMetricsAccumulator}. */
export interface TaskMetricsOptions {
  /** Probability clipping of the log loss. Default 1e-7. */
  eps?: number;
}

interface TaskState {
  spec: ResolvedTaskSpec;
  /** Label names of the parent, grandparent, …; empty for a task without a parent. */
  ancestorLabels: string[];
  /** Predictions of rows whose own label is present. */
  scores: GrowableArray<Float32Array>;
  labels: GrowableArray<Float32Array>;
  groups: GrowableArray<Int32Array> | undefined;
  /** For parent tasks: 1 where every ancestor's label is 1 (the row is in the task's space). */
  inSpace: GrowableArray<Uint8Array> | undefined;
}

/**
 * Streams batches of per-task predictions and labels, and computes exact per-task metrics, each in
 * the task's own sample space.
 *
 * Why: the classic multi-task evaluation bugs (per-task metrics computed on concatenated outputs,
 * CTR and CVR AUC coming out identical, predict and evaluate disagreeing) all come from scoring a
 * task on the wrong rows or the wrong output. Here each task is looked up by its own name in the
 * predictions and by its own label name in the labels, rows with a missing (NaN) label are dropped,
 * and a task with a `parent` only counts rows where the parent's label is exactly 1 (walking up
 * the chain: a grandparent's label must be 1 too) — the same rule as its loss in
 * `taskLabelsAndMasks`, so training and evaluation see the same rows.
 *
 * Only rows that can count are kept, in growable typed arrays (≈ 9 bytes a row and task), so the
 * exact metrics over millions of rows need no JS number arrays; streaming many batches gives the
 * same result as one batch holding all rows.
 */
export class TaskMetricsAccumulator {
  private readonly states: TaskState[];
  private readonly eps: number;
  private withGroups: boolean | undefined;
  private seen = 0;

  constructor(tasks: readonly ResolvedTaskSpec[], options: TaskMetricsOptions = {}) {
    if (tasks.length === 0) throw new ConfigError('TaskMetricsAccumulator: at least one task is required');
    this.eps = options.eps ?? 1e-7;
    if (!(this.eps > 0 && this.eps < 0.5)) throw new RangeError(`TaskMetricsAccumulator: eps ${this.eps} must be in (0, 0.5)`);
    const byName = new Map(tasks.map((t) => [t.name, t]));
    this.states = tasks.map((spec) => {
      const ancestorLabels: string[] = [];
      const visited = new Set([spec.name]);
      for (let name = spec.parent; name !== undefined; name = byName.get(name)!.parent) {
        const parent = byName.get(name);
        if (!parent) {
          throw new ConfigError(
            `TaskMetricsAccumulator: task "${spec.name}" has ancestor "${name}", which is not a task; tasks are ${[...byName.keys()].join(', ')}`,
          );
        }
        if (visited.has(name)) throw new ConfigError(`TaskMetricsAccumulator: task "${spec.name}" has a parent cycle through "${name}"`);
        visited.add(name);
        ancestorLabels.push(parent.label);
      }
      return {
        spec,
        ancestorLabels,
        scores: growableFloat32(),
        labels: growableFloat32(),
        groups: undefined,
        inSpace: ancestorLabels.length > 0 ? growableUint8() : undefined,
      };
    });
  }

  /** Rows fed so far (before any masking). */
  get rows(): number {
    return this.seen;
  }

  /**
   * Adds one batch.
   *
   * @param predictions probabilities keyed by task name (a product task such as `ctcvr` too).
   * @param labels the batch's labels keyed by label name; NaN = missing.
   * @param groups optional group id per row (e.g. user) for GAUC; give it for every batch or none.
   * @throws Error naming the task when a prediction or label array is missing or has the wrong
   *   length, a prediction is NaN, or a `bce` label is not 0, 1 or NaN.
   */
  add(predictions: Readonly<Record<string, Float32Array>>, labels: Readonly<Record<string, Float32Array>>, groups?: Int32Array): void {
    const first = this.states[0]!.spec.name;
    const firstPred = predictions[first];
    if (!firstPred) throw new DataError(this.missing('predictions', first, predictions));
    const n = firstPred.length;
    if (groups !== undefined && groups.length !== n) throw new RangeError(`task metrics: ${groups.length} groups for ${n} rows`);
    const hasGroups = groups !== undefined;
    if (this.withGroups !== undefined && this.withGroups !== hasGroups) {
      throw new ConfigError(
        `task metrics: groups were ${this.withGroups ? '' : 'not '}given for earlier batches; give them for every batch or none`,
        'TaskMetricsAccumulator.add',
      );
    }
    // Validate the whole batch before storing anything, so a failed add leaves the state unchanged.
    const batch = this.states.map((st) => {
      const name = st.spec.name;
      const pred = predictions[name];
      if (!pred) throw new DataError(this.missing('predictions', name, predictions));
      const label = labels[st.spec.label];
      if (!label) throw new DataError(this.missing('labels', st.spec.label, labels, `task "${name}"`));
      const ancestors = st.ancestorLabels.map((key) => {
        const arr = labels[key];
        if (!arr) throw new DataError(this.missing('labels', key, labels, `an ancestor of task "${name}"`));
        return arr;
      });
      for (const [what, arr] of [
        ['predictions', pred],
        ['labels', label],
        ...ancestors.map((a) => ['ancestor labels', a] as const),
      ] as const) {
        if (arr.length !== n) throw new RangeError(`task metrics: task "${name}" has ${arr.length} ${what} for ${n} rows`);
      }
      const binary = st.spec.loss === 'bce';
      for (let i = 0; i < n; i++) {
        const y = label[i]!;
        if (Number.isNaN(y)) continue;
        if (binary && y !== 0 && y !== 1)
          throw new RangeError(
            `task metrics: task "${name}" label "${st.spec.label}"[${i}] is ${y}; a bce task needs 0, 1 or NaN (missing)`,
          );
        if (Number.isNaN(pred[i]!)) throw new RangeError(`task metrics: task "${name}" prediction [${i}] is NaN`);
      }
      return { st, pred, label, ancestors };
    });
    this.withGroups = hasGroups;
    for (const { st, pred, label, ancestors } of batch) {
      if (hasGroups && !st.groups) st.groups = growableInt32();
      st.scores.reserve(n);
      st.labels.reserve(n);
      st.groups?.reserve(n);
      st.inSpace?.reserve(n);
      for (let i = 0; i < n; i++) {
        const y = label[i]!;
        if (Number.isNaN(y)) continue;
        st.scores.push(pred[i]!);
        st.labels.push(y);
        if (st.groups) st.groups.push(groups![i]!);
        if (st.inSpace) {
          let inside = 1;
          for (const a of ancestors) if (a[i] !== 1) inside = 0;
          st.inSpace.push(inside);
        }
      }
    }
    this.seen += n;
  }

  /** Exact metrics per task, keyed by task name in task order. */
  result(): Record<string, TaskMetrics> {
    const out: Record<string, TaskMetrics> = {};
    for (const st of this.states) out[st.spec.name] = this.taskResult(st);
    return out;
  }

  /** Forgets every row (e.g. before the next validation pass). */
  reset(): void {
    for (const st of this.states) {
      st.scores.clear();
      st.labels.clear();
      st.groups = undefined;
      st.inSpace?.clear();
    }
    this.withGroups = undefined;
    this.seen = 0;
  }

  private taskResult(st: TaskState): TaskMetrics {
    const allScores = st.scores.view();
    const allLabels = st.labels.view();
    const allGroups = st.groups?.view();
    let scores = allScores;
    let labels = allLabels;
    let groups = allGroups;
    if (st.inSpace) {
      const mask = st.inSpace.view();
      let m = 0;
      for (let i = 0; i < mask.length; i++) m += mask[i]!;
      scores = new Float32Array(m);
      labels = new Float32Array(m);
      groups = allGroups ? new Int32Array(m) : undefined;
      for (let i = 0, j = 0; i < mask.length; i++) {
        if (mask[i] !== 1) continue;
        scores[j] = allScores[i]!;
        labels[j] = allLabels[i]!;
        if (groups) groups[j] = allGroups![i]!;
        j++;
      }
    }
    const binary = st.spec.loss === 'bce';
    let positives = 0;
    for (let i = 0; i < labels.length; i++) if (binary ? labels[i] === 1 : labels[i]! > 0) positives++;
    const cal = calibration(scores, labels);
    const result: TaskMetrics = {
      task: st.spec.name,
      space: st.inSpace ? 'parent' : 'entire',
      count: labels.length,
      positives,
      auc: binary ? auc(scores, labels) : undefined,
      logloss: binary ? logloss(scores, labels, this.eps) : undefined,
      calibration: cal.calibration,
      meanPrediction: cal.meanPrediction,
      positiveRate: cal.positiveRate,
    };
    if (groups) {
      const g = binary ? gauc(scores, labels, groups) : undefined;
      result.gauc = g?.gauc;
      result.gaucGroups = g?.groupsCounted ?? 0;
    }
    if (!binary) {
      let sum = 0;
      for (let i = 0; i < labels.length; i++) sum += (scores[i]! - labels[i]!) ** 2;
      result.mse = labels.length === 0 ? undefined : sum / labels.length;
    }
    if (st.inSpace) {
      result.entireSpaceAuc = binary ? auc(allScores, allLabels) : undefined;
      result.entireSpaceCount = allLabels.length;
    }
    return result;
  }

  private missing(what: string, key: string, record: object, owner?: string): string {
    const keys = Object.keys(record);
    const forTask = owner ? ` for ${owner}` : '';
    return `task metrics: no ${what} "${key}"${forTask}; the batch has ${what} ${keys.length ? keys.map((k) => `"${k}"`).join(', ') : '(none)'}`;
  }
}

/** One-shot convenience: the metrics of a single (possibly whole-dataset) batch. */
export function evaluateTasks(
  tasks: readonly ResolvedTaskSpec[],
  predictions: Readonly<Record<string, Float32Array>>,
  labels: Readonly<Record<string, Float32Array>>,
  groups?: Int32Array,
  options?: TaskMetricsOptions,
): Record<string, TaskMetrics> {
  const acc = new TaskMetricsAccumulator(tasks, options);
  acc.add(predictions, labels, groups);
  return acc.result();
}
