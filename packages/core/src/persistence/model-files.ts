/**
 * The files of a saved model in tfjs' standard layout, which `tf.loadLayersModel(url)` reads as they are:
 * `model.json` (topology + weights manifest) and one `weights.bin`. ektm adds `ektm.json` beside them.
 */
import { io } from '@tensorflow/tfjs-core';
import { parseJsonValue } from './json-values.js';
import { ConfigError } from '../errors/config-error.js';
import { ModelFileError } from '../errors/model-file-error.js';

/** The topology and weights manifest. */
export const MODEL_JSON = 'model.json';
/** Every weight, in manifest order. */
export const WEIGHTS_BIN = 'weights.bin';
/** ektm's metadata: model spec, preprocessing, versions, checksums. */
export const EKTM_JSON = 'ektm.json';
/** The files a saved-model directory may hold; a save replaces such a directory as a whole. */
export const SAVED_MODEL_FILES: readonly string[] = [MODEL_JSON, WEIGHTS_BIN, EKTM_JSON];

/** `model.json` text and `weights.bin` bytes of a model's artifacts, as `LayersModel.save` hands them over. */
export function encodeModelFiles(artifacts: io.ModelArtifacts): { modelJson: string; weights: Uint8Array } {
  if (artifacts.modelTopology instanceof ArrayBuffer || !artifacts.modelTopology) {
    throw new ConfigError('saving a model: only JSON topologies (tfjs LayersModel) can be saved to a directory');
  }
  const parts =
    artifacts.weightData === undefined ? [] : Array.isArray(artifacts.weightData) ? artifacts.weightData : [artifacts.weightData];
  const weights = new Uint8Array(parts.reduce((sum, p) => sum + p.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    weights.set(new Uint8Array(part), offset);
    offset += part.byteLength;
  }
  const modelJson: io.ModelJSON = {
    modelTopology: artifacts.modelTopology,
    format: artifacts.format ?? 'layers-model',
    generatedBy: artifacts.generatedBy ?? '',
    convertedBy: artifacts.convertedBy ?? null,
    weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }],
    ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
    ...(artifacts.userDefinedMetadata ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
  };
  return { modelJson: JSON.stringify(modelJson), weights };
}

/** Parses and checks `model.json`; `file` names it in errors. */
export function parseModelJson(text: string, file: string): io.ModelJSON {
  const json = parseJsonValue(text, file) as io.ModelJSON;
  if (!json || typeof json !== 'object' || !json.modelTopology || typeof json.modelTopology !== 'object') {
    throw new ModelFileError(`${file}: not a tfjs model (no modelTopology)`, file);
  }
  if (json.format !== undefined && json.format !== 'layers-model') {
    throw new ModelFileError(`${file}: format "${json.format}" is not a tfjs layers model (expected "layers-model")`, file);
  }
  if (!Array.isArray(json.weightsManifest)) throw new ModelFileError(`${file}: no weightsManifest`, file);
  for (const [g, group] of json.weightsManifest.entries()) {
    if (!group || !Array.isArray(group.paths) || !Array.isArray(group.weights)) {
      throw new ModelFileError(`${file}: weightsManifest[${g}] must have paths and weights`, file);
    }
    for (const path of group.paths) {
      if (
        typeof path !== 'string' ||
        path === '' ||
        path.includes('..') ||
        path.startsWith('/') ||
        path.includes('\\') ||
        /^[a-z]+:/i.test(path)
      ) {
        throw new ModelFileError(
          `${file}: weightsManifest[${g}].paths has ${JSON.stringify(path)}; only file names beside ${MODEL_JSON} are read`,
          file,
        );
      }
    }
    for (const [w, spec] of group.weights.entries()) {
      if (
        !spec ||
        typeof spec.name !== 'string' ||
        !Array.isArray(spec.shape) ||
        !spec.shape.every((d) => Number.isInteger(d) && d >= 0) ||
        typeof spec.dtype !== 'string'
      ) {
        throw new ModelFileError(`${file}: weightsManifest[${g}].weights[${w}] must have a name, a shape and a dtype`, file);
      }
    }
  }
  return json;
}

/** The weight specs of every manifest group, in file order. */
export function manifestSpecs(json: io.ModelJSON): io.WeightsManifestEntry[] {
  return json.weightsManifest.flatMap((group) => group.weights);
}

/** The weight files of every manifest group, in order. */
export function manifestPaths(json: io.ModelJSON): string[] {
  return json.weightsManifest.flatMap((group) => group.paths);
}

const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2, complex64: 8 };

/** Bytes a weight takes in a weights file (after quantization, if any); throws naming `file` for unknown dtypes. */
export function specByteLength(spec: io.WeightsManifestEntry, file: string): number {
  const dtype = spec.quantization?.dtype ?? spec.dtype;
  const bytes = DTYPE_BYTES[dtype];
  if (bytes === undefined) throw new ModelFileError(`${file}: weight "${spec.name}" has dtype "${dtype}", which cannot be read here`, file);
  return spec.shape.reduce((a, b) => a * b, 1) * bytes;
}
