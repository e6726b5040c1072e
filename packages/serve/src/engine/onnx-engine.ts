import { ConfigError, initEngine, loadModel } from '@ektm/core';
import { exportOnnx, onnxFeeds, type OnnxExport } from '@ektm/onnx';
import type * as Ort from 'onnxruntime-node';
// The layer classes a saved model may use (and their ONNX emitters) register themselves at import.
import '@ektm/baselines';
import '@ektm/model';
import type { EngineLoader, InferenceEngine } from './inference-engine.js';

type OnnxRuntime = typeof Ort;

/** onnxruntime-node, an optional peer dependency, imported when the onnx engine is asked for; a `ConfigError` says how to install it. */
async function loadOnnxRuntime(): Promise<OnnxRuntime> {
  try {
    const module = (await import('onnxruntime-node')) as OnnxRuntime & { default?: OnnxRuntime };
    return module.InferenceSession ? module : module.default!;
  } catch (error) {
    throw new ConfigError(
      `--engine onnx needs onnxruntime-node, which could not be loaded (${(error as Error).message}); install it with ` +
        '`npm install onnxruntime-node` (where its install script cannot download its CUDA parts, first add the line ' +
        '`onnxruntime-node-install=skip` to .npmrc: the CPU provider is bundled)',
      'engine',
    );
  }
}

/**
 * Runs the model as one ONNX graph in onnxruntime (CPU provider): the graph is exported from the saved model when
 * the server loads it, so it always matches `ektm.json` and its preprocessing, and the TensorFlow.js copy is freed.
 */
class OnnxEngine implements InferenceEngine {
  readonly name = 'onnx';
  readonly tasks: readonly string[];

  constructor(
    private readonly ort: OnnxRuntime,
    private readonly session: Ort.InferenceSession,
    private readonly exported: OnnxExport,
    readonly runtime: string,
  ) {
    this.tasks = exported.outputs.filter((o) => o.task !== undefined).map((o) => o.task!);
  }

  async predict(table: Parameters<InferenceEngine['predict']>[0]): Promise<Record<string, Float32Array>> {
    const feeds = onnxFeeds(this.exported, table);
    const tensors = Object.fromEntries(
      Object.entries(feeds).map(([name, data]) => [
        name,
        new this.ort.Tensor(data instanceof BigInt64Array ? 'int64' : 'float32', data, [table.rows]),
      ]),
    );
    const results = await this.session.run(tensors);
    const tasks: Record<string, Float32Array> = {};
    for (const task of this.tasks) tasks[task] = results[task]!.data as Float32Array;
    return tasks;
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}

/** Loads a saved model, exports it to ONNX in memory and opens an onnxruntime session on it. */
export const loadOnnxEngine: EngineLoader = async (dir, options) => {
  if (options.threads !== undefined && (!Number.isInteger(options.threads) || options.threads < 1)) {
    throw new ConfigError(`threads is ${options.threads}; it must be an integer >= 1`, 'threads');
  }
  const ort = await loadOnnxRuntime();
  await initEngine({ quiet: true });
  const { model, metadata } = await loadModel(dir);
  let exported: OnnxExport;
  try {
    exported = exportOnnx(model);
  } finally {
    model.dispose();
  }
  const session = await ort.InferenceSession.create(exported.model, {
    executionProviders: ['cpu'],
    ...(options.threads !== undefined ? { intraOpNumThreads: options.threads, interOpNumThreads: 1 } : {}),
  });
  const version = ort.env.versions.node;
  const threads =
    options.threads !== undefined ? `${options.threads} thread${options.threads === 1 ? '' : 's'}` : "onnxruntime's default threads";
  const runtime = `onnxruntime-node${version ? ` ${version}` : ''} (cpu, ${threads}; ONNX opset ${exported.opset})`;
  return { engine: new OnnxEngine(ort, session, exported, runtime), metadata };
};
