import { createHash } from 'node:crypto';
import { basename, resolve } from 'node:path';
import { ModelFileError, type SavedModelMetadata } from '@ektm/core';
import { Preprocessor, type RecordField } from '@ektm/datasets';
import { findEngine } from '../engine/engines.js';
import type { EngineLoadOptions, InferenceEngine } from '../engine/inference-engine.js';

/** A model ready to serve: its engine, the preprocessing that encodes requests, and what identifies this version. */
export interface ServedModel {
  /** The name in the URLs (`/v1/models/<name>`). */
  name: string;
  /** The folder it was loaded from. */
  dir: string;
  /** Identifies the saved files: the first 12 hex digits of a SHA-256 over their checksums. */
  version: string;
  /** When the model was saved (ISO 8601, from `ektm.json`). */
  savedAt: string;
  /** The engine that runs it. */
  engine: InferenceEngine;
  /** Encodes request instances exactly as the training data was encoded. */
  preprocessor: Preprocessor;
  /** The keys every instance must hold, and their types. */
  fields: RecordField[];
  /** Task names, in output order: the keys of every prediction. */
  tasks: readonly string[];
  /** Everything in `ektm.json`. */
  metadata: SavedModelMetadata;
}

/** Options of {@link loadServedModel}. */
export interface LoadServedModelOptions extends EngineLoadOptions {
  /** Engine name (`tfjs`, `onnx`). Default `tfjs`. */
  engine?: string;
  /** Model name in the URLs. Default: the folder's name. */
  name?: string;
}

/** The version of a saved model: a digest of its files' checksums, so that any change of weights or topology shows. */
export function modelVersion(metadata: SavedModelMetadata): string {
  const files = Object.entries(metadata.files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash('sha256').update(JSON.stringify(files)).digest('hex').slice(0, 12);
}

/**
 * Loads a model folder written by `ektm train` (or `saveModel` with `preprocessing`) for serving. A model saved
 * without preprocessing cannot encode raw instances and is refused with a `ModelFileError`.
 */
export async function loadServedModel(dir: string, options: LoadServedModelOptions = {}): Promise<ServedModel> {
  const folder = resolve(dir);
  const load = findEngine(options.engine ?? 'tfjs');
  const { engine, metadata } = await load(folder, { threads: options.threads });
  try {
    if (metadata.preprocessing === null || metadata.preprocessing === undefined) {
      throw new ModelFileError(
        `${folder}: the model was saved without preprocessing, so raw instances cannot be encoded; save it with \`ektm train\` or saveModel(model, dir, { preprocessing })`,
        folder,
      );
    }
    const preprocessor = Preprocessor.fromJSON(metadata.preprocessing);
    return {
      name: options.name ?? basename(folder),
      dir: folder,
      version: modelVersion(metadata),
      savedAt: metadata.savedAt,
      engine,
      preprocessor,
      fields: preprocessor.recordFields(),
      tasks: engine.tasks,
      metadata,
    };
  } catch (error) {
    await engine.dispose();
    throw error;
  }
}
