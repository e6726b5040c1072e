/**
 * `ektm.json`, what ektm saves beside a tfjs model: the model spec (features, tasks, output order, loss terms),
 * the dataset's preprocessing (vocabularies, statistics), the versions that wrote it, and a SHA-256 of every
 * model file, so that a loaded model predicts exactly like the original and a damaged file is named.
 */
import { version_core } from '@tensorflow/tfjs-core';
import { version_layers } from '@tensorflow/tfjs-layers';
import { MODEL_SPEC_FORMAT, MODEL_SPEC_VERSION, type ModelSpec } from '../model/model-spec.js';
import { parseJsonValue } from './json-values.js';
import { ModelFileError } from '../errors/model-file-error.js';

/** Format tag of `ektm.json`. */
export const SAVED_MODEL_FORMAT = 'ektm-saved-model';
/** Version of `ektm.json`'s layout; a loader refuses other versions. */
export const SAVED_MODEL_VERSION = 1;

/**
 * Version of this `@ektm/core` package, recorded in saved models (a test keeps it equal to package.json's;
 * bundles cannot read package.json at run time in a browser).
 */
export const EKTM_CORE_VERSION = '0.1.0';

/** Size and SHA-256 (lowercase hex) of a saved file. */
export interface FileChecksum {
  /** Size in bytes. */
  bytes: number;
  /** SHA-256 of the content, lowercase hex. */
  sha256: string;
}

/** Versions of the packages that wrote a saved model. */
export interface PackageVersions {
  /** `@ektm/core`. */
  ektmCore: string;
  /** `@tensorflow/tfjs-core`. */
  tfjsCore: string;
  /** `@tensorflow/tfjs-layers`. */
  tfjsLayers: string;
}

/** Contents of `ektm.json`. */
export interface SavedModelMetadata {
  /** Always {@link SAVED_MODEL_FORMAT}. */
  format: typeof SAVED_MODEL_FORMAT;
  /** Layout version, {@link SAVED_MODEL_VERSION}. */
  version: typeof SAVED_MODEL_VERSION;
  /** When the model was saved (ISO 8601). */
  savedAt: string;
  /** Features, tasks, output order and loss terms of the model. */
  spec: ModelSpec;
  /** The dataset's preprocessing (opaque to core; `@ektm/datasets` reads it back), or null. */
  preprocessing: unknown;
  /** Caller's JSON (training options, metrics), or null. */
  extra: unknown;
  /** Versions of the packages that wrote the model. */
  versions: PackageVersions;
  /** Checksums of `model.json` and of each weights file, by file name. */
  files: Record<string, FileChecksum>;
  /**
   * SHA-256 of this metadata itself (its compact JSON without this key), so that an edit of `ektm.json` (a vocabulary,
   * the spec) is found on load. Absent in models saved by versions before it.
   */
  sha256?: string;
}

/** The package versions of this process, as recorded in `ektm.json`. */
export function currentVersions(): PackageVersions {
  return { ektmCore: EKTM_CORE_VERSION, tfjsCore: version_core, tfjsLayers: version_layers };
}

/** Parses and checks `ektm.json`; errors name `file`. */
export function parseSavedModelMetadata(text: string, file: string): SavedModelMetadata {
  const json = parseJsonValue(text, file) as SavedModelMetadata;
  if (!json || typeof json !== 'object' || json.format !== SAVED_MODEL_FORMAT) {
    throw new ModelFileError(
      `${file}: not an ektm saved model (format ${JSON.stringify((json as { format?: unknown })?.format)}, expected "${SAVED_MODEL_FORMAT}")`,
      file,
    );
  }
  if (json.version !== SAVED_MODEL_VERSION) {
    throw new ModelFileError(
      `${file}: saved-model version ${JSON.stringify(json.version)} is not supported; this @ektm/core ${EKTM_CORE_VERSION} reads version ${SAVED_MODEL_VERSION}` +
        (typeof json.version === 'number' && json.version > SAVED_MODEL_VERSION ? ' (upgrade @ektm/core)' : ''),
      file,
    );
  }
  const spec = json.spec;
  if (!spec || typeof spec !== 'object' || spec.format !== MODEL_SPEC_FORMAT || spec.version !== MODEL_SPEC_VERSION) {
    throw new ModelFileError(
      `${file}: spec is missing or not a model spec of format "${MODEL_SPEC_FORMAT}" version ${MODEL_SPEC_VERSION}`,
      file,
    );
  }
  if (!Array.isArray(spec.outputs) || !Array.isArray(spec.tasks) || !Array.isArray(spec.features) || !Array.isArray(spec.lossTerms)) {
    throw new ModelFileError(`${file}: spec must list features, tasks, outputs and lossTerms`, file);
  }
  if (!json.files || typeof json.files !== 'object') throw new ModelFileError(`${file}: no files checksums`, file);
  for (const [name, sum] of Object.entries(json.files)) {
    if (!sum || !Number.isInteger(sum.bytes) || typeof sum.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(sum.sha256)) {
      throw new ModelFileError(`${file}: files["${name}"] must have bytes and a sha256`, file);
    }
  }
  return json;
}
