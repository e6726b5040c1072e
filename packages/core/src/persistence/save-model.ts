/**
 * Saves a composed model to a directory: tfjs' `model.json` + `weights.bin` (loadable by `tf.loadLayersModel`
 * in a browser) and `ektm.json` (spec, preprocessing, versions, checksums of every file and of itself), replaced
 * atomically as a whole.
 *
 * ```ts
 * await saveModel(model, 'runs/mmoe/model', { preprocessing: dataset.preprocessing });
 * const { model: loaded, preprocessing } = await loadModel('runs/mmoe/model');
 * ```
 */
import { io } from '@tensorflow/tfjs-core';
import type { MultiTaskModel } from '../model/multi-task-model.js';
import { sha256Hex } from './digest.js';
import { withSelfChecksum } from './self-checksum.js';
import { writeModelDirectory } from './file-system-handler.js';
import { stringifyJsonValue } from './json-values.js';
import { EKTM_JSON, encodeModelFiles, MODEL_JSON, WEIGHTS_BIN } from './model-files.js';
import { currentVersions, SAVED_MODEL_FORMAT, SAVED_MODEL_VERSION, type SavedModelMetadata } from './saved-model-metadata.js';
import { ConfigError } from '../errors/config-error.js';

/** Options of {@link saveModel}. */
export interface SaveModelOptions {
  /** The dataset's preprocessing (vocabularies, statistics) from `@ektm/datasets`, stored as JSON. Default none. */
  preprocessing?: unknown;
  /** Any other JSON to keep with the model (training options, final metrics). Default none. */
  extra?: unknown;
}

/** Saves `model` into `dir` (created, or replaced when it holds only a saved model); returns the metadata written. */
export async function saveModel(model: MultiTaskModel, dir: string, options: SaveModelOptions = {}): Promise<SavedModelMetadata> {
  if (!model?.model || !model.spec) throw new ConfigError('saveModel: model must be a MultiTaskModel');
  let artifacts: io.ModelArtifacts | undefined;
  await model.model.save(
    io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: io.getModelArtifactsInfoForJSON(a) };
    }),
  );
  const { modelJson, weights } = encodeModelFiles(artifacts!);
  const modelJsonBytes = new TextEncoder().encode(modelJson);
  const metadata: SavedModelMetadata = {
    format: SAVED_MODEL_FORMAT,
    version: SAVED_MODEL_VERSION,
    savedAt: new Date().toISOString(),
    spec: model.spec,
    preprocessing: options.preprocessing ?? null,
    extra: options.extra ?? null,
    versions: currentVersions(),
    files: {
      [MODEL_JSON]: { bytes: modelJsonBytes.byteLength, sha256: await sha256Hex(modelJsonBytes) },
      [WEIGHTS_BIN]: { bytes: weights.byteLength, sha256: await sha256Hex(weights) },
    },
  };
  // Checked for JSON safety first (a clear error for a function or a NaN in preprocessing), then checksummed.
  stringifyJsonValue(metadata, 'saveModel: preprocessing and extra');
  const sealed = await withSelfChecksum(metadata);
  const text = stringifyJsonValue(sealed, 'saveModel: preprocessing and extra');
  await writeModelDirectory(dir, { modelJson, weights }, { [EKTM_JSON]: text });
  return sealed;
}
