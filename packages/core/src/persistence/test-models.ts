/** Small features, tasks and tables shared by the persistence tests (not exported from the package). */
import { io } from '@tensorflow/tfjs-core';
import { loadLayersModel, type LayersModel } from '@tensorflow/tfjs-layers';
import type { EncodedTable } from '../data/encoded-table.js';
import type { FeatureSpec } from '../features/feature-spec.js';
import type { TaskSpec } from '../tasks/task-spec.js';

/** Two categorical fields (one with its own dimension) and two numeric ones. */
export const testFeatures: FeatureSpec[] = [
  { name: 'user', type: 'categorical', vocabularySize: 10 },
  { name: 'item', type: 'categorical', vocabularySize: 20, embeddingDim: 4 },
  { name: 'price', type: 'numeric' },
  { name: 'age', type: 'numeric' },
];

/** click → cvr (in the clicked space, evaluated only) and the entire-space product ctcvr. */
export const testTasks: TaskSpec[] = [
  { name: 'click' },
  { name: 'cvr', label: 'buy', parent: 'click', weight: 0 },
  { name: 'ctcvr', label: 'buy', product: ['click', 'cvr'] },
];

/** A deterministic table for {@link testFeatures} with click and buy labels. */
export function smallTable(rows: number): EncodedTable {
  const categorical = new Int32Array(rows * 2);
  const numeric = new Float32Array(rows * 2);
  const click = new Float32Array(rows);
  const buy = new Float32Array(rows);
  for (let i = 0; i < rows; i++) {
    categorical[2 * i] = i % 10;
    categorical[2 * i + 1] = (i * 7) % 20;
    numeric[2 * i] = ((i % 5) - 2) / 3;
    numeric[2 * i + 1] = Math.sin(i);
    click[i] = i % 3 === 0 ? 1 : 0;
    buy[i] = click[i] === 1 ? i % 2 : Number.NaN;
  }
  return { rows, categorical, categoricalCount: 2, numeric, numericCount: 2, labels: { click, buy } };
}

/** A LayersModel saved to memory and loaded back through tfjs' own serialization (config key conversion included). */
export async function reloadThroughMemory(model: LayersModel): Promise<LayersModel> {
  let artifacts: io.ModelArtifacts | undefined;
  await model.save(io.withSaveHandler(async (a) => ((artifacts = a), { modelArtifactsInfo: io.getModelArtifactsInfoForJSON(a) })));
  return loadLayersModel(io.fromMemory(artifacts!));
}

/** Releases the weights of a layer that was built and called eagerly (tfjs' `Layer.dispose` needs a symbolic use). */
export function disposeLayerWeights(layer: { weights: Array<{ dispose(): void }> }): void {
  for (const weight of layer.weights) weight.dispose();
}
