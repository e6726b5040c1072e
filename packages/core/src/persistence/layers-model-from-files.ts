/**
 * Rebuilds a tfjs LayersModel from the contents of `model.json` and `weights.bin`, checking everything tfjs would
 * otherwise report with an obscure stack: unregistered layer classes, a weights file of the wrong size, and
 * weights whose count, names or shapes do not match the topology.
 */
import * as tf from '@tensorflow/tfjs-core';
import { io, serialization } from '@tensorflow/tfjs-core';
import { models, type LayersModel } from '@tensorflow/tfjs-layers';
import { manifestSpecs, specByteLength } from './model-files.js';
import { ModelFileError } from '../errors/model-file-error.js';

/** The ektm packages that define layer classes, named in the error for an unknown class. */
const EKTM_LAYER_PACKAGES = ['@ektm/core', '@ektm/router', '@ektm/transmitter', '@ektm/enhancer', '@ektm/model', '@ektm/baselines'];

/** How the two files are named in errors (paths or URLs). */
export interface ModelFileNames {
  modelJson: string;
  weights: string;
}

/**
 * Throws naming the first layer class of the topology that is not registered with tfjs serialization, and the
 * packages to import to register it.
 */
function checkLayerClassesRegistered(topology: unknown, file: string): void {
  const known = serialization.SerializationMap.getMap().classNameMap;
  const missing = new Map<string, string>();
  const visit = (node: unknown) => {
    if (!node || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    const config = (record.config ?? {}) as Record<string, unknown>;
    const layers = Array.isArray(config.layers) ? config.layers : Array.isArray(record.layers) ? record.layers : [];
    for (const layer of layers as Array<Record<string, unknown>>) {
      const className = (layer?.class_name ?? layer?.className) as string | undefined;
      if (typeof className === 'string' && !(className in known) && !missing.has(className)) {
        const name = ((layer.config as Record<string, unknown> | undefined)?.name ?? layer.name ?? '?') as string;
        missing.set(className, name);
      }
      visit(layer);
    }
  };
  const root = topology as Record<string, unknown>;
  visit(root.model_config ?? root);
  if (missing.size > 0) {
    const list = [...missing].map(([cls, layer]) => `"${cls}" (layer "${layer}")`).join(', ');
    throw new ModelFileError(
      `${file}: unknown layer class ${list}. Layer classes register when the package that defines them is imported: ` +
        `import it before loading (one of ${EKTM_LAYER_PACKAGES.join(', ')}, e.g. \`import '@ektm/baselines'\`), ` +
        'or register your own class with tf.serialization.registerClass.',
      file,
    );
  }
}

/** Builds the model of `modelJson` and sets the weights in `weights` (the concatenated weight files). */
export async function layersModelFromFiles(modelJson: io.ModelJSON, weights: Uint8Array, names: ModelFileNames): Promise<LayersModel> {
  checkLayerClassesRegistered(modelJson.modelTopology, names.modelJson);
  const specs = manifestSpecs(modelJson);
  const expectedBytes = specs.reduce((sum, spec) => sum + specByteLength(spec, names.modelJson), 0);
  if (expectedBytes !== weights.byteLength) {
    throw new ModelFileError(
      `${names.weights}: holds ${weights.byteLength} bytes, but the weights manifest in ${names.modelJson} describes ${expectedBytes}`,
      names.weights,
    );
  }
  let model: LayersModel;
  try {
    model = await models.modelFromJSON({ modelTopology: modelJson.modelTopology as object } as Parameters<typeof models.modelFromJSON>[0]);
  } catch (error) {
    throw new ModelFileError(
      `${names.modelJson}: cannot rebuild the model from its topology: ${(error as Error).message}`,
      names.modelJson,
      {
        cause: error,
      },
    );
  }
  try {
    checkWeightsMatch(model, specs, names.modelJson);
    const buffer = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer;
    const values = io.decodeWeights(buffer, specs);
    try {
      model.loadWeights(values, true);
    } finally {
      tf.dispose(Object.values(values));
    }
  } catch (error) {
    model.dispose();
    throw error;
  }
  return model;
}

/** Throws unless the manifest has exactly the model's weights, by name, with the same shapes. */
function checkWeightsMatch(model: LayersModel, specs: io.WeightsManifestEntry[], file: string): void {
  const bySpec = new Map(specs.map((s) => [s.name, s]));
  const expected = model.weights;
  if (specs.length !== expected.length) {
    const extra = specs.filter((s) => !expected.some((w) => w.originalName === s.name)).map((s) => s.name);
    const absent = expected.filter((w) => !bySpec.has(w.originalName)).map((w) => w.originalName);
    throw new ModelFileError(
      `${file}: the weights manifest lists ${specs.length} weights, the model has ${expected.length}` +
        (absent.length ? `; missing: ${absent.join(', ')}` : '') +
        (extra.length ? `; unexpected: ${extra.join(', ')}` : ''),
      file,
    );
  }
  for (const weight of expected) {
    const spec = bySpec.get(weight.originalName);
    if (!spec) throw new ModelFileError(`${file}: the weights manifest has no weight "${weight.originalName}"`, file);
    if (!tf.util.arraysEqual(spec.shape, weight.shape as number[])) {
      throw new ModelFileError(
        `${file}: weight "${weight.originalName}" has shape [${spec.shape}] in the manifest, the model expects [${weight.shape}]`,
        file,
      );
    }
  }
}
