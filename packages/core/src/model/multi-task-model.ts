import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { checkTableFeatures } from '../data/check-table.js';
import type { EncodedTable } from '../data/encoded-table.js';
import { probKey } from '../composition/record-keys.js';
import type { ModelSpec } from './model-spec.js';
import { DataError } from '../errors/data-error.js';

/** The inputs of a composed model as tensors. */
export interface ModelInputs {
  /** `[batch, categoricalCount]` int32 indices. */
  categorical: tf.Tensor2D;
  /** `[batch, numericCount]` float32 values, when the model has numeric features. */
  numeric?: tf.Tensor2D;
}

/** Rows `[start, end)` of a table as model inputs. Caller disposes. */
export function tableInputs(table: EncodedTable, start = 0, end = table.rows): ModelInputs {
  const rows = end - start;
  const c = table.categoricalCount;
  const m = table.numericCount;
  return {
    categorical: tf.tensor2d(table.categorical.subarray(start * c, end * c), [rows, c], 'int32'),
    numeric: m > 0 ? tf.tensor2d(table.numeric.subarray(start * m, end * m), [rows, m], 'float32') : undefined,
  };
}

/**
 * A composed multi-task model: an ordinary tfjs LayersModel (summary, save, load, predict) plus the ektm
 * spec that names its outputs and losses.
 */
export class MultiTaskModel {
  constructor(
    /** The tfjs model; its outputs are in `spec.outputs` order. */
    readonly model: LayersModel,
    /** Features, tasks, outputs and loss terms. */
    readonly spec: ModelSpec,
  ) {}

  /** Task names in output order. */
  get taskNames(): string[] {
    return this.spec.tasks.map((t) => t.name);
  }

  /** The model's inputs in tfjs order. */
  inputList(inputs: ModelInputs): tf.Tensor[] {
    if (this.spec.hasNumericInput) {
      if (!inputs.numeric) throw new DataError(`model "${this.spec.name}" needs numeric inputs`);
      return [inputs.categorical, inputs.numeric];
    }
    return [inputs.categorical];
  }

  /** Runs the model and returns every output keyed by record key (`prob:<task>`, `diag:<name>`). */
  forward(inputs: ModelInputs, training: boolean): Record<string, tf.Tensor> {
    const raw = this.model.apply(this.inputList(inputs), { training }) as tf.Tensor | tf.Tensor[];
    const list = Array.isArray(raw) ? raw : [raw];
    const out: Record<string, tf.Tensor> = {};
    this.spec.outputs.forEach((key, i) => (out[key] = list[i]!));
    return out;
  }

  /**
   * Per-task probabilities for every row of a table, computed in batches; also the batch-size-weighted mean of
   * each diagnostic output. The table is first checked against the model's features (once per table object).
   *
   * @throws TableFeatureError when a column is missing, a categorical id is outside its vocabulary or a numeric value
   *   is not finite.
   */
  predict(
    table: EncodedTable,
    options: { batchSize?: number } = {},
  ): {
    /** Per task name: its `prob:<task>` output, one value per row. */
    tasks: Record<string, Float32Array>;
    /** Every `prob:` output (auxiliary heads included), keyed by record key, one value per row. */
    outputs: Record<string, Float32Array>;
    /** Per diagnostic name (the key without `diag:`): its mean over all rows. */
    diagnostics: Record<
      string,
      {
        /** Shape of one row's diagnostic (the batch dimension removed), e.g. `[T, E]`. */
        shape: number[];
        /** The row mean, flattened in row-major order of `shape`. */
        mean: Float32Array;
      }
    >;
  } {
    const batchSize = options.batchSize ?? 4096;
    checkTableFeatures(table, this.spec.features, { where: 'predict' });
    const probOutputs = this.spec.outputs.filter((k) => k.startsWith('prob:'));
    const outputs: Record<string, Float32Array> = {};
    for (const key of probOutputs) outputs[key] = new Float32Array(table.rows);
    const diagnostics: Record<string, { shape: number[]; mean: Float32Array }> = {};
    for (let start = 0; start < table.rows; start += batchSize) {
      const end = Math.min(start + batchSize, table.rows);
      const inputs = tableInputs(table, start, end);
      const values = tf.tidy(() => {
        const result = this.forward(inputs, false);
        return this.spec.outputs.map((key) => {
          const t = result[key]!;
          // Diagnostics are reduced over the batch on the device; probabilities come back whole.
          return key.startsWith('diag:') ? tf.mul(tf.mean(t, 0), end - start) : tf.reshape(t, [-1]);
        });
      });
      this.spec.outputs.forEach((key, i) => {
        const data = values[i]!.dataSync() as Float32Array;
        if (key.startsWith('prob:')) outputs[key]!.set(data, start);
        else {
          const entry = (diagnostics[key.slice('diag:'.length)] ??= { shape: values[i]!.shape, mean: new Float32Array(data.length) });
          for (let j = 0; j < data.length; j++) entry.mean[j]! += data[j]! / table.rows;
        }
      });
      tf.dispose([...values, inputs.categorical, ...(inputs.numeric ? [inputs.numeric] : [])]);
    }
    const tasks: Record<string, Float32Array> = {};
    for (const t of this.spec.tasks) tasks[t.name] = outputs[probKey(t.name)]!;
    return { tasks, outputs, diagnostics };
  }

  /** Releases the model's weights. */
  dispose(): void {
    this.model.dispose();
  }
}
