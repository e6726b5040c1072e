/** Loads a model saved with `saveModel` from a directory, verifying every file (see `assembleLoadedModel`). */
import { recoverDirectory } from './atomic-directory.js';
import { readRequired } from './file-system-handler.js';
import { assembleLoadedModel, type LoadedModel } from './loaded-model.js';
import { EKTM_JSON } from './model-files.js';
import { isNotFound, nodeModules } from './node-modules.js';
import { parseSavedModelMetadata } from './saved-model-metadata.js';
import { ModelFileError } from '../errors/model-file-error.js';

/**
 * Loads the model in `dir`. Layer classes from other packages must be registered first: import the packages
 * that define them (`@ektm/baselines`, `@ektm/router`, ...). Errors name the file: a missing file, a malformed
 * or foreign `ektm.json` / `model.json`, a checksum mismatch, weights that do not fit the topology.
 */
export async function loadModel(dir: string): Promise<LoadedModel> {
  const { fs, path } = await nodeModules();
  await recoverDirectory(dir, { cleanup: false });
  try {
    if (!(await fs.stat(dir)).isDirectory()) throw new ModelFileError(`${dir}: not a directory`, dir);
  } catch (error) {
    if (isNotFound(error)) throw new ModelFileError(`${dir}: no such directory`, dir, { cause: error });
    throw error;
  }
  const metadataPath = path.join(dir, EKTM_JSON);
  let text: string;
  try {
    text = await fs.readFile(metadataPath, 'utf8');
  } catch (error) {
    if (!isNotFound(error)) throw error;
    throw new ModelFileError(
      `${metadataPath}: missing; ${dir} is not a model saved by saveModel (a plain tfjs model loads with tf.loadLayersModel(fileSystemHandler(dir)))`,
      metadataPath,
      { cause: error },
    );
  }
  const metadata = parseSavedModelMetadata(text, metadataPath);
  return assembleLoadedModel(
    metadata,
    { read: (name) => readRequired(path.join(dir, name)), locate: (name) => path.join(dir, name) },
    metadataPath,
  );
}
