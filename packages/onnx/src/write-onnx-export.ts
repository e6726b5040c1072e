/**
 * Writes an exported model as a folder: `model.onnx`, `preprocessing.json` (the contract), `ektm_preprocess.py`
 * (its reference encoder) and, on request, a Triton model repository under `triton/`. The folder is replaced as a
 * whole (written under a temporary name, then renamed), so a crash never leaves half an export.
 */
import { ConfigError, replaceDirectory, writeFileSynced, type MultiTaskModel } from '@ektm/core';
import { exportOnnx, type OnnxExport, type OnnxExportOptions } from './export-onnx.js';
import { onnxPreprocessing, type OnnxPreprocessing } from './preprocessing-contract.js';
import { tritonModelConfig, tritonModelName, type TritonOptions } from './triton-config.js';

/** The ONNX model file of an export. */
export const ONNX_MODEL_FILE = 'model.onnx';
/** The preprocessing contract of an export. */
export const PREPROCESSING_FILE = 'preprocessing.json';
/** The reference encoder of the contract, in Python. */
export const PYTHON_ENCODER_FILE = 'ektm_preprocess.py';
/** The Triton model repository of an export. */
export const TRITON_DIRECTORY = 'triton';

/** Options of {@link writeOnnxExport}. */
export interface WriteOnnxExportOptions extends OnnxExportOptions {
  /** Also write a Triton model repository under `triton/`: `true` for the defaults, or its options. Default false. */
  triton?: boolean | TritonOptions;
}

/** What {@link writeOnnxExport} wrote. */
export interface WrittenOnnxExport {
  /** The export folder. */
  dir: string;
  /** Files written, relative to `dir`. */
  files: string[];
  /** The exported graph. */
  exported: OnnxExport;
  /** The preprocessing contract written. */
  preprocessing: OnnxPreprocessing;
  /** The Triton model's name, when a repository was written. */
  tritonModel?: string;
}

/** A model and the preprocessing saved with it, as `loadModel` returns them. */
export interface ExportableModel {
  /** The model. */
  model: MultiTaskModel;
  /** The dataset's preprocessing saved with the model (a `PreprocessorState`), or null. */
  preprocessing?: unknown;
}

/** The source of the reference encoder shipped with this package (`python/ektm_preprocess.py`). */
export async function pythonReferenceEncoder(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  return readFile(new URL(`../python/${PYTHON_ENCODER_FILE}`, import.meta.url), 'utf8');
}

/**
 * Exports `saved.model` (see `exportOnnx`) and writes the export folder `dir`, replacing an earlier export there;
 * a folder holding anything else is refused.
 */
export async function writeOnnxExport(
  saved: ExportableModel,
  dir: string,
  options: WriteOnnxExportOptions = {},
): Promise<WrittenOnnxExport> {
  const { triton, ...exportOptions } = options;
  const exported = exportOnnx(saved.model, exportOptions);
  const preprocessing = onnxPreprocessing(saved.model.spec, exported, saved.preprocessing ?? null, ONNX_MODEL_FILE);
  const tritonOptions: TritonOptions | undefined = triton === true ? {} : triton || undefined;
  const tritonModel = tritonOptions ? tritonModelName(tritonOptions.name ?? saved.model.spec.name) : undefined;
  const encoder = await pythonReferenceEncoder();
  const files: Array<[string, Uint8Array | string]> = [
    [ONNX_MODEL_FILE, exported.model],
    [PREPROCESSING_FILE, `${JSON.stringify(preprocessing, null, 2)}\n`],
    [PYTHON_ENCODER_FILE, encoder],
  ];
  if (tritonOptions && tritonModel) {
    files.push([`${TRITON_DIRECTORY}/${tritonModel}/1/${ONNX_MODEL_FILE}`, exported.model]);
    files.push([`${TRITON_DIRECTORY}/${tritonModel}/config.pbtxt`, tritonModelConfig(exported, tritonModel, tritonOptions)]);
  }
  const { mkdir } = await import('node:fs/promises');
  const { join, dirname } = await import('node:path');
  const allowed = new Set([ONNX_MODEL_FILE, PREPROCESSING_FILE, PYTHON_ENCODER_FILE, TRITON_DIRECTORY]);
  await replaceDirectory(
    dir,
    async (temp) => {
      for (const [name, content] of files) {
        await mkdir(dirname(join(temp, name)), { recursive: true });
        await writeFileSynced(join(temp, name), content);
      }
    },
    {
      checkExisting: (entries) => {
        const foreign = entries.filter((e) => !allowed.has(e));
        if (foreign.length) {
          throw new ConfigError(
            `${dir} holds files that are not part of an ONNX export (${foreign.join(', ')}); choose a new or empty folder`,
            'out',
          );
        }
      },
    },
  );
  return { dir, files: files.map(([name]) => name), exported, preprocessing, ...(tritonModel ? { tritonModel } : {}) };
}
