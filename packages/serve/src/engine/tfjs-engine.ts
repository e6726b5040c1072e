import { initEngine, loadModel, type MultiTaskModel } from '@ektm/core';
import { getBackend, version_core } from '@tensorflow/tfjs-core';
// The layer classes a saved model may use register themselves at import.
import '@ektm/baselines';
import '@ektm/model';
import type { EngineLoader, InferenceEngine } from './inference-engine.js';

/** Runs the saved TensorFlow.js model in this process, on the backend `initEngine` picks (wasm on a plain machine). */
class TfjsEngine implements InferenceEngine {
  readonly name = 'tfjs';
  readonly runtime: string;
  readonly tasks: readonly string[];

  constructor(private readonly model: MultiTaskModel) {
    this.runtime = `tfjs ${version_core} on ${getBackend()}`;
    this.tasks = model.taskNames;
  }

  async predict(table: Parameters<InferenceEngine['predict']>[0]): Promise<Record<string, Float32Array>> {
    // One call for the whole micro-batch: the server already capped its rows.
    return this.model.predict(table, { batchSize: Math.max(1, table.rows) }).tasks;
  }

  async dispose(): Promise<void> {
    this.model.dispose();
  }
}

/** Loads a saved model into the TensorFlow.js engine (initialising the tfjs backend on first use). */
export const loadTfjsEngine: EngineLoader = async (dir) => {
  await initEngine({ quiet: true });
  const { model, metadata } = await loadModel(dir);
  return { engine: new TfjsEngine(model), metadata };
};
