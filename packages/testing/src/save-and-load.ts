// Save/load round trips through memory: a reloaded model must be the same model (its custom layers registered).
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { EncodedTable, MultiTaskModel } from '@ektm/core';
import { expect } from 'vitest';

/** Saves a tfjs model to memory and loads it again (the custom layers must be registered). */
export async function saveAndLoad(model: tfl.LayersModel): Promise<tfl.LayersModel> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return tfl.loadLayersModel(tf.io.fromMemory(artifacts!));
}

/** Asserts that a reloaded tfjs model predicts exactly what the original predicts, output by output. */
export async function expectIdenticalAfterReload(model: MultiTaskModel, table: EncodedTable): Promise<void> {
  const loaded = await saveAndLoad(model.model);
  const inputs = [
    tf.tensor2d(table.categorical, [table.rows, table.categoricalCount], 'int32'),
    tf.tensor2d(table.numeric, [table.rows, table.numericCount]),
  ];
  const before = model.model.predict(inputs) as tf.Tensor[];
  const after = loaded.predict(inputs) as tf.Tensor[];
  expect(after.length).toBe(before.length);
  before.forEach((t, i) => expect(Array.from(after[i]!.dataSync())).toEqual(Array.from(t.dataSync())));
  tf.dispose([...inputs, ...before, ...after]);
  loaded.dispose();
}
