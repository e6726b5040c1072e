/**
 * The last step of loading a saved model, shared by the directory and the URL loaders: verify `ektm.json` against its
 * own checksum and every other file against its checksum in `ektm.json`, rebuild the tfjs model, and wrap it with its spec.
 */
import { MultiTaskModel } from '../model/multi-task-model.js';
import { sha256Hex } from './digest.js';
import { layersModelFromFiles } from './layers-model-from-files.js';
import { MODEL_JSON, manifestPaths, parseModelJson } from './model-files.js';
import type { SavedModelMetadata } from './saved-model-metadata.js';
import { verifySelfChecksum } from './self-checksum.js';
import { concatBytes } from './tensor-bytes.js';
import { ModelFileError } from '../errors/model-file-error.js';

/** A model loaded with `loadModel` or `loadModelFromUrl`. */
export interface LoadedModel {
  /** The model, ready to predict, evaluate or train further. */
  model: MultiTaskModel;
  /** The preprocessing saved with it (opaque to core), or null. */
  preprocessing: unknown;
  /** Everything in `ektm.json`. */
  metadata: SavedModelMetadata;
}

/** Reads a file of the saved model by name; `locate` names it in errors (a path or a URL). */
export interface SavedModelReader {
  read(name: string): Promise<Uint8Array>;
  locate(name: string): string;
}

/** Verifies and assembles a saved model from its metadata and a reader of its files. */
export async function assembleLoadedModel(
  metadata: SavedModelMetadata,
  reader: SavedModelReader,
  metadataFile: string,
): Promise<LoadedModel> {
  await verifySelfChecksum(metadata, metadataFile);
  const verified = async (name: string): Promise<Uint8Array> => {
    const expected = metadata.files[name];
    if (!expected) throw new ModelFileError(`${metadataFile}: has no checksum for ${name}, which ${MODEL_JSON} lists`, metadataFile);
    const bytes = await reader.read(name);
    if (bytes.byteLength !== expected.bytes || (await sha256Hex(bytes)) !== expected.sha256) {
      throw new ModelFileError(
        `${reader.locate(name)}: checksum mismatch (the file is corrupted or was modified after the model was saved)`,
        reader.locate(name),
      );
    }
    return bytes;
  };
  const modelJsonBytes = await verified(MODEL_JSON);
  const modelJson = parseModelJson(new TextDecoder().decode(modelJsonBytes), reader.locate(MODEL_JSON));
  const paths = manifestPaths(modelJson);
  const parts: Uint8Array[] = [];
  for (const name of paths) parts.push(await verified(name));
  const weights = parts.length === 1 ? parts[0]! : concatBytes(parts);
  const layersModel = await layersModelFromFiles(modelJson, weights, {
    modelJson: reader.locate(MODEL_JSON),
    weights: paths.map((p) => reader.locate(p)).join(' + ') || '(no weights file)',
  });
  if (layersModel.outputs.length !== metadata.spec.outputs.length) {
    const count = layersModel.outputs.length;
    layersModel.dispose();
    throw new ModelFileError(
      `${metadataFile}: spec lists ${metadata.spec.outputs.length} outputs, the model in ${MODEL_JSON} has ${count}`,
      metadataFile,
    );
  }
  return { model: new MultiTaskModel(layersModel, metadata.spec), preprocessing: metadata.preprocessing, metadata };
}
