/**
 * Training checkpoints: the model's weights, the optimizer's state, the trainer's own state (epoch, random
 * state, history, best monitor value) and optionally the best weights so far, in `<dir>/checkpoint/`.
 * The folder is replaced as a whole (see `replaceDirectory`), so a run killed at any moment resumes from the
 * last complete checkpoint.
 *
 * ```ts
 * await writeCheckpoint(runDir, { model, optimizerWeights: await optimizerState(optimizer), extra: { epoch } });
 * const checkpoint = await readCheckpoint(runDir);   // undefined when there is none
 * if (checkpoint) { await applyCheckpoint(checkpoint, model, optimizer); disposeCheckpoint(checkpoint); }
 * ```
 */
import * as tf from '@tensorflow/tfjs-core';
import type { MultiTaskModel } from '../model/multi-task-model.js';
import { recoverDirectory, replaceDirectory, writeFileSynced } from './atomic-directory.js';
import { parseJsonValue, stringifyJsonValue } from './json-values.js';
import { sha256Hex } from './digest.js';
import { verifySelfChecksum, withSelfChecksum } from './self-checksum.js';
import { isNotFound, nodeModules } from './node-modules.js';
import { concatBytes, decodeTensors, encodeTensors, isTensorEntry, type TensorEntry } from './tensor-bytes.js';
import { ModelFileError } from '../errors/model-file-error.js';
import { ConfigError } from '../errors/config-error.js';

/** Name of the checkpoint folder inside a run directory. */
export const CHECKPOINT_DIRECTORY = 'checkpoint';
/** The checkpoint's description and trainer state. */
export const CHECKPOINT_JSON = 'checkpoint.json';
/** Every tensor of the checkpoint: model weights, then optimizer weights, then best weights. */
const CHECKPOINT_TENSORS = 'tensors.bin';
/** Format tag of `checkpoint.json`. */
const CHECKPOINT_FORMAT = 'ektm-checkpoint';
/** Version of the checkpoint layout; a reader refuses other versions. */
const CHECKPOINT_VERSION = 1;

/** One tensor of an optimizer's state, as `optimizer.getWeights()` returns it (tfjs' `NamedTensor`). */
export interface OptimizerWeight {
  /** The optimizer's name for it (e.g. `iter`, `<variable>/m`); `$ektm/...` for state added by `optimizerState`. */
  name: string;
  /** Its value. */
  tensor: tf.Tensor;
}

/** What the trainer saves. */
export interface CheckpointData {
  /** The model whose current weights are saved (in `model.model.getWeights()` order). */
  model: MultiTaskModel;
  /**
   * The optimizer's state: `await optimizerState(optimizer)` (exact resume), or `await optimizer.getWeights()`
   * (tfjs recomputes Adam's bias-correction powers on restore, which can differ in the last bit).
   */
  optimizerWeights: OptimizerWeight[];
  /**
   * The trainer's state: epoch, random state, history, best monitor value. JSON values; `Infinity`, `-Infinity`
   * and `NaN` survive (plain JSON would turn them into `null`).
   */
  extra: unknown;
  /** The best weights so far (for restoring at the end of early stopping), in `getWeights()` order. */
  bestWeights?: tf.Tensor[];
}

/** A checkpoint read back. The tensors belong to the caller: dispose them with {@link disposeCheckpoint}. */
export interface Checkpoint {
  /** Model weights in `model.model.getWeights()` order. */
  weights: tf.Tensor[];
  /** Optimizer state, for `optimizer.setWeights`. */
  optimizerWeights: OptimizerWeight[];
  /** The trainer's state as written. */
  extra: unknown;
  /** The best weights, when written. */
  bestWeights?: tf.Tensor[];
  /** The saved model's weight names (tfjs `originalName`), in order, for validation. */
  weightNames: string[];
  /** When the checkpoint was written (ISO 8601). */
  createdAt: string;
}

/** Contents of `checkpoint.json`. */
interface CheckpointJson {
  format: typeof CHECKPOINT_FORMAT;
  version: typeof CHECKPOINT_VERSION;
  createdAt: string;
  modelName: string;
  tensors: { file: string; bytes: number; sha256: string };
  weights: Array<TensorEntry & { name: string }>;
  optimizer: Array<TensorEntry & { name: string }>;
  best?: TensorEntry[];
  extra: unknown;
  /** SHA-256 of this JSON itself (without this key), so that an edited checkpoint.json is found; absent in older ones. */
  sha256?: string;
}

/**
 * Writes a checkpoint into `<dir>/checkpoint/`, replacing the previous one as a whole. Leftovers of a killed
 * earlier write are recovered or removed first.
 */
export async function writeCheckpoint(dir: string, data: CheckpointData): Promise<void> {
  const { path } = await nodeModules();
  if (!data || typeof data !== 'object' || !data.model?.model)
    throw new ConfigError('writeCheckpoint: data.model must be a MultiTaskModel');
  if (!Array.isArray(data.optimizerWeights))
    throw new ConfigError('writeCheckpoint: data.optimizerWeights must be an array of named tensors');
  const variables = data.model.model.weights;
  const weights = data.model.model.getWeights();
  if (data.bestWeights && data.bestWeights.length !== weights.length) {
    throw new ConfigError(`writeCheckpoint: bestWeights has ${data.bestWeights.length} tensors, the model has ${weights.length} weights`);
  }
  data.bestWeights?.forEach((t, i) => {
    if (!tf.util.arraysEqual(t.shape, weights[i]!.shape)) {
      throw new ConfigError(
        `writeCheckpoint: bestWeights[${i}] has shape [${t.shape}], weight ${variables[i]!.originalName} has [${weights[i]!.shape}]`,
      );
    }
  });
  stringifyJsonValue(data.extra ?? null, 'writeCheckpoint: extra'); // fails early, before any tensor is read
  const optimizerTensors = data.optimizerWeights.map((w, i) => {
    if (!w || typeof w.name !== 'string' || !(w.tensor instanceof tf.Tensor)) {
      throw new ConfigError(`writeCheckpoint: optimizerWeights[${i}] must be { name: string, tensor: Tensor }`);
    }
    return w.tensor;
  });
  const model = await encodeTensors(weights, 'model weights');
  const optimizer = await encodeTensors(optimizerTensors, 'optimizerWeights');
  const best = data.bestWeights ? await encodeTensors(data.bestWeights, 'bestWeights') : undefined;
  const bytes = concatBytes([model.data, optimizer.data, ...(best ? [best.data] : [])]);
  const json: CheckpointJson = {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    createdAt: new Date().toISOString(),
    modelName: data.model.spec.name,
    tensors: { file: CHECKPOINT_TENSORS, bytes: bytes.byteLength, sha256: await sha256Hex(bytes) },
    weights: model.entries.map((e, i) => ({ name: variables[i]!.originalName, ...e })),
    optimizer: optimizer.entries.map((e, i) => ({ name: data.optimizerWeights[i]!.name, ...e })),
    ...(best ? { best: best.entries } : {}),
    extra: data.extra ?? null,
  };
  const text = stringifyJsonValue(await withSelfChecksum(json), 'writeCheckpoint: extra');
  await replaceDirectory(path.join(dir, CHECKPOINT_DIRECTORY), async (temp) => {
    await writeFileSynced(path.join(temp, CHECKPOINT_TENSORS), bytes);
    await writeFileSynced(path.join(temp, CHECKPOINT_JSON), text);
  });
}

/**
 * Reads the checkpoint in `<dir>/checkpoint/`; undefined when there is none. Leftovers of a killed write are
 * recovered (the last complete checkpoint wins) and removed. Throws naming the file when the checkpoint is
 * malformed, of another format or version, or its tensors do not match their checksum.
 */
export async function readCheckpoint(dir: string): Promise<Checkpoint | undefined> {
  const { fs, path } = await nodeModules();
  const folder = path.join(dir, CHECKPOINT_DIRECTORY);
  await recoverDirectory(folder);
  const jsonPath = path.join(folder, CHECKPOINT_JSON);
  let text: string;
  try {
    text = await fs.readFile(jsonPath, 'utf8');
  } catch (error) {
    if (!isNotFound(error)) throw error;
    try {
      await fs.access(folder);
    } catch {
      return undefined;
    }
    throw new ModelFileError(`${jsonPath}: missing; ${folder} is not a complete checkpoint (delete it to start over)`, jsonPath, {
      cause: error,
    });
  }
  const json = validateCheckpointJson(parseJsonValue(text, jsonPath), jsonPath);
  await verifySelfChecksum(json, jsonPath);
  const tensorsPath = path.join(folder, json.tensors.file);
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await fs.readFile(tensorsPath));
  } catch (error) {
    if (isNotFound(error))
      throw new ModelFileError(`${tensorsPath}: missing; the checkpoint in ${folder} is incomplete`, tensorsPath, { cause: error });
    throw error;
  }
  if (bytes.byteLength !== json.tensors.bytes || (await sha256Hex(bytes)) !== json.tensors.sha256) {
    throw new ModelFileError(
      `${tensorsPath}: checksum mismatch (the file is corrupted or was modified after the checkpoint was written)`,
      tensorsPath,
    );
  }
  const entries = [...json.weights, ...json.optimizer, ...(json.best ?? [])];
  const tensors = decodeTensors(bytes, entries, tensorsPath);
  const weights = tensors.slice(0, json.weights.length);
  const optimizer = tensors.slice(json.weights.length, json.weights.length + json.optimizer.length);
  const best = json.best ? tensors.slice(json.weights.length + json.optimizer.length) : undefined;
  return {
    weights,
    optimizerWeights: optimizer.map((tensor, i) => ({ name: json.optimizer[i]!.name, tensor })),
    extra: json.extra,
    ...(best ? { bestWeights: best } : {}),
    weightNames: json.weights.map((w) => w.name),
    createdAt: json.createdAt,
  };
}

/**
 * Throws unless the checkpoint's weights fit the model: same count, and the same shape at every position
 * (names are not compared: tfjs renames weights when several models coexist).
 */
function checkCheckpointFits(checkpoint: Checkpoint, model: MultiTaskModel): void {
  const variables = model.model.weights;
  const describe = (list: tf.Tensor[] | undefined, what: string) => {
    if (!list) return;
    if (list.length !== variables.length) {
      throw new ModelFileError(
        `checkpoint: ${what} has ${list.length} tensors, model "${model.spec.name}" has ${variables.length} weights; the checkpoint belongs to another architecture`,
      );
    }
    list.forEach((t, i) => {
      if (!tf.util.arraysEqual(t.shape, variables[i]!.shape as number[])) {
        throw new ModelFileError(
          `checkpoint: ${what}[${i}] ("${checkpoint.weightNames[i] ?? '?'}") has shape [${t.shape}], model weight ${variables[i]!.originalName} has [${variables[i]!.shape}]`,
        );
      }
    });
  };
  describe(checkpoint.weights, 'weights');
  describe(checkpoint.bestWeights, 'bestWeights');
}

/**
 * Restores a checkpoint into a model and, when given, an optimizer (after checking that the weights fit).
 * The model's variables and the optimizer share the checkpoint tensors' memory (tfjs reference counting), so
 * {@link disposeCheckpoint} afterwards is safe and frees only what is no longer used.
 */
export async function applyCheckpoint(checkpoint: Checkpoint, model: MultiTaskModel, optimizer?: tf.Optimizer): Promise<void> {
  checkCheckpointFits(checkpoint, model);
  model.model.setWeights(checkpoint.weights);
  if (optimizer) {
    const hidden = checkpoint.optimizerWeights.filter((w) => w.name.startsWith(HIDDEN_STATE_PREFIX));
    await optimizer.setWeights(checkpoint.optimizerWeights.filter((w) => !hidden.includes(w)));
    for (const { name, tensor } of hidden) {
      const variable = (optimizer as unknown as Record<string, unknown>)[name.slice(HIDDEN_STATE_PREFIX.length)];
      if (variable instanceof tf.Variable && tf.util.arraysEqual((variable as tf.Variable).shape, tensor.shape)) variable.assign(tensor);
    }
  }
}

/** Prefix of optimizer state that `getWeights` leaves out and {@link optimizerState} adds. */
const HIDDEN_STATE_PREFIX = '$ektm/';
/** Optimizer fields holding state outside `getWeights` (Adam's and Adamax's running powers of beta). */
const HIDDEN_STATE_FIELDS = ['accBeta1', 'accBeta2'];

/**
 * The optimizer's complete state for a checkpoint: `getWeights()` plus the running powers of beta that Adam
 * keeps outside it (tfjs' `setWeights` recomputes them with `pow`, which can differ in the last bit from the
 * running product and makes a resumed run drift from an uninterrupted one). {@link applyCheckpoint} restores both.
 */
export async function optimizerState(optimizer: tf.Optimizer): Promise<OptimizerWeight[]> {
  const weights = await optimizer.getWeights();
  const fields = optimizer as unknown as Record<string, unknown>;
  const hidden = HIDDEN_STATE_FIELDS.flatMap((field) => {
    const variable = fields[field];
    return variable instanceof tf.Variable ? [{ name: HIDDEN_STATE_PREFIX + field, tensor: variable as tf.Tensor }] : [];
  });
  return [...weights, ...hidden];
}

/** Sets the checkpoint's best weights into the model (e.g. after early stopping); throws if it has none. */
export function applyBestWeights(checkpoint: Checkpoint, model: MultiTaskModel): void {
  if (!checkpoint.bestWeights) throw new ConfigError('checkpoint: has no bestWeights');
  checkCheckpointFits(checkpoint, model);
  model.model.setWeights(checkpoint.bestWeights);
}

/** Releases every tensor of a checkpoint read with {@link readCheckpoint}. */
export function disposeCheckpoint(checkpoint: Checkpoint): void {
  tf.dispose([...checkpoint.weights, ...checkpoint.optimizerWeights.map((w) => w.tensor), ...(checkpoint.bestWeights ?? [])]);
}

function validateCheckpointJson(value: unknown, file: string): CheckpointJson {
  const json = value as CheckpointJson;
  if (!json || typeof json !== 'object' || json.format !== CHECKPOINT_FORMAT) {
    throw new ModelFileError(
      `${file}: not an ektm checkpoint (format ${JSON.stringify((json as { format?: unknown })?.format)}, expected "${CHECKPOINT_FORMAT}")`,
      file,
    );
  }
  if (json.version !== CHECKPOINT_VERSION) {
    throw new ModelFileError(
      `${file}: checkpoint version ${JSON.stringify(json.version)} is not supported (this @ektm/core reads version ${CHECKPOINT_VERSION})`,
      file,
    );
  }
  const named = (list: unknown) =>
    Array.isArray(list) && list.every((e) => isTensorEntry(e) && typeof (e as { name?: unknown }).name === 'string');
  if (
    !json.tensors ||
    typeof json.tensors.file !== 'string' ||
    json.tensors.file.includes('/') ||
    json.tensors.file.includes('\\') ||
    typeof json.tensors.sha256 !== 'string' ||
    !Number.isInteger(json.tensors.bytes) ||
    !named(json.weights) ||
    !named(json.optimizer) ||
    (json.best !== undefined && !(Array.isArray(json.best) && json.best.every(isTensorEntry)))
  ) {
    throw new ModelFileError(`${file}: malformed checkpoint description (tensors, weights, optimizer or best)`, file);
  }
  return json;
}
