/** The ONNX emitter of {@link FeatureEmbedding}: one gather per embedding table, then the numeric fields appended. */
import { splitFeatures } from '../features/feature-spec.js';
import { registerOnnxEmitter, type OnnxEmitter } from '../onnx/onnx-emitters.js';
import { onnxInt64s, onnxReshape } from '../onnx/onnx-ops.js';
import { FeatureEmbedding } from './feature-embedding.js';

/**
 * `$categorical` (int64 `[B, C]`, ids in range) and `$numeric` (float32 `[B, M]`) → `$input` `[B, ΣD + M]`, exactly as
 * `FeatureEmbedding.callBlock`: per table, the table's columns plus their row offsets, one gather, flattened.
 */
export const emitFeatureEmbeddingOnnx: OnnxEmitter<FeatureEmbedding> = (block, inputs, graph) => {
  const ids = inputs[0]!;
  const totalColumns = splitFeatures(block.features).categorical.length;
  const tables = block['tables'];
  const parts = block['groups'].map((group, i) => {
    const identity = group.columns.length === totalColumns && group.columns.every((c, j) => c === j);
    const columns = identity ? ids : graph.op('Gather', [ids, onnxInt64s(graph, group.columns, 'columns')], { axis: 1 });
    const rows = graph.op('Add', [columns, onnxInt64s(graph, group.offsets, 'offsets')]);
    const vectors = graph.op('Gather', [graph.weight(tables[i]!, `${block.name}/table_d${group.dim}_${i}`), rows]);
    return onnxReshape(graph, vectors, [-1, group.columns.length * group.dim]);
  });
  if (inputs.length > 1) parts.push(inputs[1]!);
  return [parts.length === 1 ? parts[0]! : graph.op('Concat', parts, { axis: 1 })];
};
registerOnnxEmitter(FeatureEmbedding.className, emitFeatureEmbeddingOnnx);
