/**
 * Scoring an exported model with onnxruntime-node (an optional peer dependency: only these functions need it) and
 * comparing it with ektm's own `predict` on the same rows: the parity check behind `ektm export --verify`.
 */
import { ConfigError, type EncodedTable, type MultiTaskModel } from '@ektm/core';
import type { OnnxExport, OnnxInputInfo } from './export-onnx.js';

/** One input of the graph as a typed array: int64 ids or float32 values, one per row. */
export type OnnxFeed = BigInt64Array | Float32Array;

/** The part of onnxruntime-node's API used here (so that its types are not needed to compile against this package). */
interface OrtTensor {
  readonly data: unknown;
}
interface OrtSession {
  run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>;
  release(): Promise<void>;
}
interface OrtModule {
  InferenceSession: { create(model: Uint8Array, options?: Record<string, unknown>): Promise<OrtSession> };
  Tensor: new (type: 'int64' | 'float32', data: OnnxFeed, dims: number[]) => OrtTensor;
}

/** Loads onnxruntime-node, or throws a `ConfigError` saying how to install it. */
async function loadOnnxRuntime(): Promise<OrtModule> {
  try {
    const module = (await import('onnxruntime-node')) as unknown as OrtModule & { default?: OrtModule };
    return module.InferenceSession ? module : module.default!;
  } catch (error) {
    throw new ConfigError(
      `onnxruntime-node is needed to run ONNX models here but could not be loaded (${(error as Error).message}); ` +
        'install it with `npm install onnxruntime-node` (where its install script cannot download CUDA parts, first add the line ' +
        '`onnxruntime-node-install=skip` to .npmrc: the CPU provider is bundled)',
      'onnxruntime-node',
    );
  }
}

/**
 * The graph's feeds for rows `[start, end)` of an encoded table: each feature's column of the table. `exported` is an
 * `OnnxExport`, or any list of the graph's inputs in graph order with their types.
 */
export function onnxFeeds(
  exported: { inputs: ReadonlyArray<Pick<OnnxInputInfo, 'name' | 'dataType'>> },
  table: EncodedTable,
  start = 0,
  end = table.rows,
): Record<string, OnnxFeed> {
  const rows = end - start;
  const feeds: Record<string, OnnxFeed> = {};
  let categoricalColumn = 0;
  let numericColumn = 0;
  for (const input of exported.inputs) {
    if (input.dataType === 'int64') {
      const column = categoricalColumn++;
      const ids = new BigInt64Array(rows);
      for (let r = 0; r < rows; r++) ids[r] = BigInt(table.categorical[(start + r) * table.categoricalCount + column]!);
      feeds[input.name] = ids;
    } else {
      const column = numericColumn++;
      const values = new Float32Array(rows);
      for (let r = 0; r < rows; r++) values[r] = table.numeric[(start + r) * table.numericCount + column]!;
      feeds[input.name] = values;
    }
  }
  if (categoricalColumn !== table.categoricalCount || numericColumn !== table.numericCount) {
    throw new ConfigError(
      `onnxFeeds: the table has ${table.categoricalCount} categorical and ${table.numericCount} numeric columns, the graph ${categoricalColumn} and ${numericColumn} inputs`,
    );
  }
  return feeds;
}

/** Runs an ONNX model on the CPU provider; returns every output as a flat float32 array. */
export async function runOnnx(model: Uint8Array, feeds: Record<string, OnnxFeed>): Promise<Record<string, Float32Array>> {
  const ort = await loadOnnxRuntime();
  const session = await ort.InferenceSession.create(model, { executionProviders: ['cpu'] });
  try {
    const tensors = Object.fromEntries(
      Object.entries(feeds).map(([name, data]) => [
        name,
        new ort.Tensor(data instanceof BigInt64Array ? 'int64' : 'float32', data, [data.length]),
      ]),
    );
    const results = await session.run(tensors);
    return Object.fromEntries(Object.entries(results).map(([name, tensor]) => [name, tensor.data as Float32Array]));
  } finally {
    await session.release();
  }
}

/** How far the exported graph's probabilities are from `predict`'s on the same rows. */
export interface OnnxParity {
  /** Rows compared. */
  rows: number;
  /** Largest absolute difference of each task's probability. */
  maxAbsDiff: Record<string, number>;
  /** The largest of them. */
  max: number;
}

/** Scores `table` with `predict` and with the exported graph (onnxruntime-node) and compares every task's probabilities. */
export async function compareOnnxWithPredict(model: MultiTaskModel, exported: OnnxExport, table: EncodedTable): Promise<OnnxParity> {
  const expected = model.predict(table).tasks;
  const got = await runOnnx(exported.model, onnxFeeds(exported, table));
  const maxAbsDiff: Record<string, number> = {};
  for (const output of exported.outputs) {
    if (!output.task) continue;
    const a = expected[output.task]!;
    const b = got[output.name]!;
    let max = 0;
    for (let i = 0; i < table.rows; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
    maxAbsDiff[output.task] = Number.isNaN(max) || b.length !== a.length ? Number.POSITIVE_INFINITY : max;
  }
  return { rows: table.rows, maxAbsDiff, max: Math.max(0, ...Object.values(maxAbsDiff)) };
}
