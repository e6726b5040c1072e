/**
 * A tfjs `IOHandler` for a directory on disk, the `file://` handler that only `@tensorflow/tfjs-node` has:
 *
 * ```ts
 * await model.save(fileSystemHandler('out/model'));          // model.json + weights.bin, written atomically
 * const loaded = await tf.loadLayersModel(fileSystemHandler('out/model'));
 * ```
 */
import { io } from '@tensorflow/tfjs-core';
import { replaceDirectory, writeFileSynced } from './atomic-directory.js';
import { encodeModelFiles, MODEL_JSON, manifestPaths, parseModelJson, SAVED_MODEL_FILES, WEIGHTS_BIN } from './model-files.js';
import { concatBytes } from './tensor-bytes.js';
import { isNotFound, nodeModules } from './node-modules.js';
import { ModelFileError } from '../errors/model-file-error.js';

/** Files written beside `model.json` and `weights.bin` in the same atomic replacement. */
export type ExtraFiles = Record<string, string | Uint8Array>;

/** Save and load handler for the directory `dir`. */
export function fileSystemHandler(dir: string): io.IOHandler {
  return {
    save: async (artifacts) => {
      await writeModelDirectory(dir, encodeModelFiles(artifacts), {});
      return { modelArtifactsInfo: io.getModelArtifactsInfoForJSON(artifacts) };
    },
    load: () => loadModelDirectory(dir),
  };
}

/**
 * Writes `model.json`, `weights.bin` and `extraFiles` into a temporary sibling of `dir`, fsyncs them, then
 * renames it over `dir`. An existing `dir` is replaced only when it holds nothing but saved-model files.
 */
export async function writeModelDirectory(
  dir: string,
  { modelJson, weights }: { modelJson: string; weights: Uint8Array },
  extraFiles: ExtraFiles,
): Promise<void> {
  const { path } = await nodeModules();
  await replaceDirectory(
    dir,
    async (temp) => {
      await writeFileSynced(path.join(temp, MODEL_JSON), modelJson);
      await writeFileSynced(path.join(temp, WEIGHTS_BIN), weights);
      for (const [name, content] of Object.entries(extraFiles)) await writeFileSynced(path.join(temp, name), content);
    },
    {
      checkExisting: (entries) => {
        const foreign = entries.filter((name) => !SAVED_MODEL_FILES.includes(name) && !(name in extraFiles));
        if (foreign.length > 0) {
          throw new ModelFileError(
            `${dir}: exists and holds other files (${foreign.slice(0, 5).join(', ')}); save the model into a new or empty directory`,
            dir,
          );
        }
      },
    },
  );
}

/** Reads `model.json` and its weight files from `dir` as tfjs model artifacts. */
async function loadModelDirectory(dir: string): Promise<io.ModelArtifacts> {
  const { path } = await nodeModules();
  const jsonPath = path.join(dir, MODEL_JSON);
  const json = parseModelJson(new TextDecoder().decode(await readRequired(jsonPath)), jsonPath);
  const parts = await Promise.all(manifestPaths(json).map((name) => readRequired(path.join(dir, name))));
  const weights = parts.length === 1 ? parts[0]! : concatBytes(parts);
  return io.getModelArtifactsForJSON(json, async (manifest) => [
    manifest.flatMap((group) => group.weights),
    weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer,
  ]);
}

/** A file's bytes; a missing file is an error that names it. */
export async function readRequired(file: string): Promise<Uint8Array> {
  const { fs } = await nodeModules();
  try {
    return new Uint8Array(await fs.readFile(file));
  } catch (error) {
    if (isNotFound(error)) throw new ModelFileError(`${file}: missing`, file, { cause: error });
    throw error;
  }
}
