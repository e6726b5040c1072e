/**
 * The preprocessing contract of an exported model (`preprocessing.json`): for every graph input, which field of a
 * raw record it reads and how the value is encoded (vocabulary, FNV-1a hash bucket, numeric transforms, bucket
 * boundaries, missing values), taken from the preprocessor saved with the model. It stays outside the graph because
 * ektm's hash (FNV-1a over UTF-16 code units) has no ONNX operator, and numeric graph inputs keep the model servable
 * by every ONNX runtime (Triton, KServe, TensorRT) without the ONNX-ML domain. `python/ektm_preprocess.py` is the
 * reference encoder.
 */
import { ModelFileError, type ModelSpec } from '@ektm/core';
import type { FittedFeature, FittedNumeric, PreprocessorInput, PreprocessorState } from '@ektm/datasets';
import type { OnnxExport } from './export-onnx.js';

/** Format tag of `preprocessing.json`. */
export const PREPROCESSING_FORMAT = 'ektm-onnx-preprocessing';
/** Version of its layout; the reference encoder refuses other versions. */
export const PREPROCESSING_VERSION = 1;

/** A numeric transform before a value enters the graph, in order (the bucket boundaries are kept apart). */
export type OnnxNumericTransform =
  | {
      /** sign(x)·log(1 + |x|). */
      kind: 'log1p';
    }
  | {
      /** (x − mean) / std. */
      kind: 'standardise';
      /** Train mean. */
      mean: number;
      /** Train standard deviation. */
      std: number;
    };

/**
 * How a raw value becomes an input. A missing value is an absent key, null, NaN, or text that is empty or one of
 * the contract's `missing` tokens after trimming.
 */
export type OnnxInputEncoding =
  | {
      /** Id `i + 1` for `values[i]`; 0 for a missing or unknown value. */
      kind: 'vocabulary';
      /** The vocabulary in id order, from id 1. */
      values: string[];
    }
  | {
      /** `1 + fnv1a(value) % buckets` (32-bit FNV-1a over the UTF-16 code units); 0 for missing. */
      kind: 'hash';
      /** Number of hash buckets. */
      buckets: number;
    }
  | {
      /** A number: `1 +` the number of boundaries ≤ the transformed value; 0 for missing. */
      kind: 'buckets';
      /** Transforms applied first. */
      transforms: OnnxNumericTransform[];
      /** Ascending boundaries. */
      boundaries: number[];
    }
  | {
      /** A number: the transformed value as float32; `fill` for missing. */
      kind: 'numeric';
      /** Transforms, in order. */
      transforms: OnnxNumericTransform[];
      /** The value of a missing number. */
      fill: number;
    }
  | {
      /** No preprocessing was saved with the model: the record holds the encoded id (outside `[0, vocabularySize)`: 0). */
      kind: 'id';
    }
  | {
      /** No preprocessing was saved with the model: the record holds the encoded float. */
      kind: 'value';
    };

/** One graph input in the contract. */
export interface OnnxPreprocessingInput {
  /** The graph input's name (the feature's). */
  name: string;
  /** `int64` or `float32`; shape `[batch]`. */
  dtype: 'int64' | 'float32';
  /** The key of a raw record that holds its value (a column name, a `key:value` key, or a column index as text); null: `name`. */
  recordKey: string | null;
  /** Number of ids of a categorical input (ids outside `[0, vocabularySize)` are scored as 0). */
  vocabularySize?: number;
  /** How the raw value is encoded. */
  encoding: OnnxInputEncoding;
}

/** The content of `preprocessing.json`. */
export interface OnnxPreprocessing {
  /** Always {@link PREPROCESSING_FORMAT}. */
  format: typeof PREPROCESSING_FORMAT;
  /** Always {@link PREPROCESSING_VERSION}. */
  version: typeof PREPROCESSING_VERSION;
  /** The model file this contract feeds, relative to the contract. */
  model: string;
  /** The model's name. */
  modelName: string;
  /** Dataset the preprocessing was fitted on, or null when none was saved. */
  dataset: string | null;
  /** Task set of that dataset, or null. */
  taskSet: string | null;
  /** Text values meaning missing besides the empty text (compared after trimming). */
  missing: string[];
  /** The graph inputs in graph order. */
  inputs: OnnxPreprocessingInput[];
  /** The graph's task outputs (task names), in order. */
  outputs: string[];
}

/**
 * The contract for an exported model from the preprocessing saved with it (`loadModel(dir).preprocessing`, a
 * `PreprocessorState` of `@ektm/datasets`), or, when none was saved, a contract whose inputs take encoded values.
 * Throws a `ModelFileError` when the saved preprocessing does not produce the model's features.
 */
export function onnxPreprocessing(
  spec: ModelSpec,
  exported: Pick<OnnxExport, 'inputs' | 'outputs'>,
  preprocessing: unknown,
  modelFile = 'model.onnx',
): OnnxPreprocessing {
  const outputs = exported.outputs.filter((o) => o.task !== undefined).map((o) => o.name);
  const contract = (fields: Pick<OnnxPreprocessing, 'dataset' | 'taskSet' | 'missing' | 'inputs'>): OnnxPreprocessing => ({
    format: PREPROCESSING_FORMAT,
    version: PREPROCESSING_VERSION,
    model: modelFile,
    modelName: spec.name,
    ...fields,
    outputs,
  });
  if (preprocessing === null || preprocessing === undefined) {
    return contract({
      dataset: null,
      taskSet: null,
      missing: [],
      inputs: exported.inputs.map((input) => ({
        name: input.name,
        dtype: input.dataType === 'int64' ? 'int64' : 'float32',
        recordKey: null,
        ...(input.feature.type === 'categorical' ? { vocabularySize: input.feature.vocabularySize } : {}),
        encoding: input.feature.type === 'categorical' ? { kind: 'id' } : { kind: 'value' },
      })),
    });
  }
  const state = preprocessing as PreprocessorState;
  if (state.format !== 'ektm-preprocessor' || !Array.isArray(state.features) || !state.input) {
    throw new ModelFileError(
      `model "${spec.name}": the saved preprocessing is not an ektm preprocessor (format ${JSON.stringify(state.format)})`,
    );
  }
  // Encoded tables (and so the graph's inputs) hold categorical outputs first (vocabulary, hash, buckets), then numeric ones.
  const ordered = [...state.features.filter((f) => f.kind !== 'numeric'), ...state.features.filter((f) => f.kind === 'numeric')];
  if (ordered.length !== exported.inputs.length || ordered.some((f, i) => f.name !== exported.inputs[i]!.name)) {
    throw new ModelFileError(
      `model "${spec.name}": the saved preprocessing encodes ${ordered.map((f) => f.name).join(', ')}, but the model's inputs are ${exported.inputs.map((i) => i.name).join(', ')}`,
    );
  }
  return contract({
    dataset: state.dataset,
    taskSet: state.taskSet,
    missing: [...state.input.missing],
    inputs: ordered.map((fitted, i) => {
      const input = exported.inputs[i]!;
      const vocabularySize = input.feature.type === 'categorical' ? input.feature.vocabularySize : undefined;
      const expected = expectedSize(fitted);
      if (vocabularySize !== expected) {
        throw new ModelFileError(
          `model "${spec.name}": feature "${fitted.name}" has ${vocabularySize ?? 'no'} ids in the model and ${expected ?? 'none'} in the saved preprocessing`,
        );
      }
      return {
        name: input.name,
        dtype: input.dataType === 'int64' ? 'int64' : 'float32',
        recordKey: recordKey(fitted.column, state.input),
        ...(vocabularySize !== undefined ? { vocabularySize } : {}),
        encoding: encodingOf(fitted),
      };
    }),
  });
}

function encodingOf(fitted: FittedFeature): OnnxInputEncoding {
  switch (fitted.kind) {
    case 'vocabulary':
      return { kind: 'vocabulary', values: [...fitted.values] };
    case 'hash':
      return { kind: 'hash', buckets: fitted.buckets };
    case 'buckets': {
      const last = fitted.numeric.transforms[fitted.numeric.transforms.length - 1];
      return { kind: 'buckets', transforms: continuous(fitted.numeric), boundaries: last?.kind === 'buckets' ? [...last.boundaries] : [] };
    }
    case 'numeric':
      return { kind: 'numeric', transforms: continuous(fitted.numeric), fill: fitted.numeric.fill };
  }
}

/** Number of ids the preprocessing produces for a categorical output (undefined for a numeric one). */
function expectedSize(fitted: FittedFeature): number | undefined {
  if (fitted.kind === 'vocabulary') return fitted.values.length + 1;
  if (fitted.kind === 'hash') return fitted.buckets + 1;
  if (fitted.kind === 'buckets') {
    const last = fitted.numeric.transforms[fitted.numeric.transforms.length - 1];
    return last?.kind === 'buckets' ? last.boundaries.length + 2 : 0;
  }
  return undefined;
}

function continuous(numeric: FittedNumeric): OnnxNumericTransform[] {
  return numeric.transforms.flatMap((t): OnnxNumericTransform[] =>
    t.kind === 'log1p' ? [{ kind: 'log1p' }] : t.kind === 'standardise' ? [{ kind: 'standardise', mean: t.mean, std: t.std }] : [],
  );
}

/** The key a raw record uses for a column, as `Preprocessor.encodeRows` names record slots. */
function recordKey(column: string | number, input: PreprocessorInput): string {
  if (typeof column === 'number') return input.columns?.[column] ?? String(column);
  if (input.columns?.includes(column)) return column;
  if (!input.keyValue && !input.columns && /^\d+$/.test(column)) return String(Number(column));
  return column;
}
