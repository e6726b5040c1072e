import type { EncodedTable, SavedModelMetadata } from '@ektm/core';

/**
 * What runs a saved model for the server: encoded rows in, one probability per row and task out. The server
 * encodes requests with the preprocessing saved in `ektm.json`, so an engine only sees the model's inputs;
 * TensorFlow.js and onnxruntime plug in behind this one interface.
 */
export interface InferenceEngine {
  /** The engine's name, as `--engine` takes it (`tfjs`, `onnx`). */
  readonly name: string;
  /** What computes the predictions, for logs and the model endpoint (e.g. `tfjs 4.22.0 on wasm`). */
  readonly runtime: string;
  /** Task names, in the model's output order; `predict` returns one array per task. */
  readonly tasks: readonly string[];
  /**
   * Per-task probabilities for every row of the table, in row order. May run asynchronously (onnxruntime) or
   * synchronously inside the promise (TensorFlow.js); the server calls it for one batch at a time.
   */
  predict(table: EncodedTable): Promise<Record<string, Float32Array>>;
  /** Releases the model (weights, sessions); the engine is not used afterwards. */
  dispose(): Promise<void>;
}

/** An engine loaded from a model folder, with the `ektm.json` of the very files it loaded. */
export interface LoadedEngine {
  /** The engine, ready to predict. */
  engine: InferenceEngine;
  /** The model's metadata (spec, preprocessing, checksums), read in the same load as the weights. */
  metadata: SavedModelMetadata;
}

/** Options every engine loader takes. */
export interface EngineLoadOptions {
  /** Threads the engine may use for one batch (onnxruntime's intra-op threads). Default: the engine's own. */
  threads?: number;
}

/** Loads a model saved with `saveModel` (`ektm train`) from a folder into an engine. */
export type EngineLoader = (dir: string, options: EngineLoadOptions) => Promise<LoadedEngine>;
