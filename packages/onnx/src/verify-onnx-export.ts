/**
 * A self-check of an export with no data at hand: random encoded rows (every id of every vocabulary reachable,
 * numeric values from a standard normal) scored by `predict` and by the exported graph on onnxruntime-node.
 */
import { seededRandom, splitFeatures, type EncodedTable, type MultiTaskModel } from '@ektm/core';
import type { OnnxExport } from './export-onnx.js';
import { compareOnnxWithPredict, type OnnxParity } from './onnx-runtime.js';

/** Options of {@link verifyOnnxExport}. */
export interface VerifyOnnxOptions {
  /** Rows to score. Default 256. */
  rows?: number;
  /** Seed of the random rows. Default 0. */
  seed?: number;
}

/** A table of random encoded rows for the model's features: ids uniform in each vocabulary, numeric values ~ N(0, 1). */
export function randomEncodedTable(model: MultiTaskModel, rows: number, seed = 0): EncodedTable {
  const { categorical, numeric } = splitFeatures(model.spec.features);
  const random = seededRandom(seed);
  const table: EncodedTable = {
    rows,
    categorical: new Int32Array(rows * categorical.length),
    categoricalCount: categorical.length,
    numeric: new Float32Array(rows * numeric.length),
    numericCount: numeric.length,
    labels: {},
  };
  for (let r = 0; r < rows; r++) {
    categorical.forEach((f, c) => (table.categorical[r * categorical.length + c] = Math.floor(random() * f.vocabularySize)));
    numeric.forEach((_, c) => {
      const u = Math.max(random(), Number.MIN_VALUE);
      table.numeric[r * numeric.length + c] = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
    });
  }
  return table;
}

/** Scores random rows with `predict` and with the exported graph; needs onnxruntime-node. */
export async function verifyOnnxExport(model: MultiTaskModel, exported: OnnxExport, options: VerifyOnnxOptions = {}): Promise<OnnxParity> {
  return compareOnnxWithPredict(model, exported, randomEncodedTable(model, options.rows ?? 256, options.seed ?? 0));
}
