/**
 * `exportOnnx`: a composed ektm model as ONE ONNX graph. Every layer of the tfjs model is emitted by the ONNX
 * emitter registered for its class (core's `registerOnnxEmitter`), in the model's topological order, wired exactly
 * as tfjs wires the layers; the graph then has one input per feature and one output per task, and keeps only what
 * those outputs need.
 */
import {
  ConfigError,
  EKTM_CORE_VERSION,
  getOnnxEmitter,
  onnxStack,
  probKey,
  splitFeatures,
  type CategoricalFeatureSpec,
  type FeatureSpec,
  type MultiTaskModel,
  type OnnxDataType,
  type Shape,
} from '@ektm/core';
import type { layers } from '@tensorflow/tfjs-layers';
import { encodeOnnxModel, ONNX_IR_VERSION, ONNX_OPSET } from './encode-onnx-model.js';
import { OnnxGraph, type OnnxDim } from './onnx-graph.js';

/** `metadata_props` key of the JSON list of task names, in output order. */
export const ONNX_TASKS_METADATA = 'ektm.tasks';
/** `metadata_props` key of the JSON list of input features (name, type, vocabularySize), in input order. */
export const ONNX_FEATURES_METADATA = 'ektm.features';
/** `metadata_props` key of the model's name. */
export const ONNX_MODEL_METADATA = 'ektm.model';
/** Symbolic name of the batch dimension of every input and output. */
export const ONNX_BATCH_DIM = 'batch';

/** Options of {@link exportOnnx}. */
export interface OnnxExportOptions {
  /**
   * Record keys of other model outputs to expose besides the task probabilities, e.g. an enhancer's
   * `prob:purchase/original` or a diagnostic `diag:mmoe/gates`; each becomes an output named by its key (`prob:`
   * outputs flattened to `[batch]`). Default none: only what the task probabilities need is exported.
   */
  extraOutputs?: string[];
  /** More `metadata_props` (key → value), added to ektm's own. Default none. */
  metadata?: Record<string, string>;
}

/** A graph input: one feature. */
export interface OnnxInputInfo {
  /** Input name: the feature's name. */
  name: string;
  /** `int64` ids of a categorical feature, `float32` values of a numeric one. */
  dataType: OnnxDataType;
  /** Always `[batch]`. */
  shape: OnnxDim[];
  /** The feature, as the model knows it (a categorical one with its vocabulary size). */
  feature: FeatureSpec;
}

/** A graph output. */
export interface OnnxOutputInfo {
  /** Output name: the task's name (or the record key of an extra output). */
  name: string;
  /** Always `float32`. */
  dataType: OnnxDataType;
  /** `[batch]` for probabilities; `[batch, ...]` for a diagnostic. */
  shape: OnnxDim[];
  /** The model's record key of the output (`prob:<task>`). */
  key: string;
  /** The task, for a task's probability. */
  task?: string;
}

/** What {@link exportOnnx} made. */
export interface OnnxExport {
  /** The bytes of the `.onnx` file. */
  model: Uint8Array;
  /** Graph inputs, categorical features first, then numeric ones (the column order of an encoded table). */
  inputs: OnnxInputInfo[];
  /** Graph outputs: every task in the model's task order, then the extra outputs. */
  outputs: OnnxOutputInfo[];
  /** Opset of the default domain. */
  opset: number;
  /** ONNX IR version. */
  irVersion: number;
  /** The `metadata_props` written. */
  metadata: Record<string, string>;
  /** Number of nodes in the graph. */
  nodeCount: number;
  /** Number of initializers (weights and constants) in the graph. */
  initializerCount: number;
}

/**
 * Exports a model (built with `buildMultiTaskModel`, a builder of the zoo, or loaded with `loadModel`) as one ONNX
 * graph computing what `MultiTaskModel.predict` computes for the task probabilities: inputs named after the
 * features (`int64 [batch]` ids, `float32 [batch]` values), outputs named after the tasks (`float32 [batch]`).
 * Categorical ids outside `[0, vocabularySize)` are scored as the out-of-vocabulary id 0 (`predict` rejects them).
 * Throws a `ConfigError` naming the class of a layer with no registered emitter.
 */
export function exportOnnx(model: MultiTaskModel, options: OnnxExportOptions = {}): OnnxExport {
  if (!model?.model || !model.spec) throw new ConfigError('exportOnnx: model must be a MultiTaskModel');
  const spec = model.spec;
  const { categorical, numeric } = splitFeatures(spec.features);
  const taskOutputs = spec.tasks.map((t) => ({ key: probKey(t.name), name: t.name, task: t.name }));
  const extras = (options.extraOutputs ?? []).map((key) => {
    if (!spec.outputs.includes(key)) {
      throw new ConfigError(
        `exportOnnx: extraOutputs: "${key}" is not an output of model "${spec.name}"; it has ${spec.outputs.join(', ')}`,
        'extraOutputs',
      );
    }
    return { key, name: key, task: undefined };
  });
  const outputs = [...taskOutputs, ...extras.filter((e) => !taskOutputs.some((t) => t.key === e.key))];
  const names = [...categorical, ...numeric].map((f) => f.name);
  checkDistinctNames(
    names,
    outputs.map((o) => o.name),
  );

  const graph = new OnnxGraph(spec.name, [...names, ...outputs.map((o) => o.name)]);
  const values = new Map<layers.Layer, Array<string | undefined>>();
  const [categoricalLayer, numericLayer] = model.model.inputLayers;
  values.set(categoricalLayer!, [categoricalIds(graph, categorical)]);
  if (numericLayer) {
    for (const f of numeric) graph.addInput(f.name, 'float32', [ONNX_BATCH_DIM]);
    values.set(numericLayer, [
      onnxStack(
        graph,
        numeric.map((f) => f.name),
        1,
      ),
    ]);
  }
  for (const layer of model.model.layers) if (!values.has(layer)) values.set(layer, emitLayer(layer, values, graph));

  const outputInfo: OnnxOutputInfo[] = outputs.map((o) => {
    const index = spec.outputs.indexOf(o.key);
    const produced = values.get(model.model.outputLayers[index]!)?.[model.model.outputLayersTensorIndices[index]!];
    const layer = model.model.outputLayers[index]!;
    if (produced === undefined) {
      throw new ConfigError(
        `exportOnnx: output ${o.key} of layer "${layer.name}" (${layer.getClassName()}) was not emitted by its ONNX emitter`,
        o.key,
      );
    }
    const flatten = o.key.startsWith('prob:');
    const tfShape = model.model.outputs[index]!.shape;
    const shape: OnnxDim[] = flatten ? [ONNX_BATCH_DIM] : tfShape.map((d) => (d === null ? ONNX_BATCH_DIM : d));
    graph.addOutput(produced, o.name, 'float32', shape, flatten);
    return { name: o.name, dataType: 'float32', shape, key: o.key, ...(o.task ? { task: o.task } : {}) };
  });

  const inputInfo: OnnxInputInfo[] = [...categorical, ...numeric].map((feature) => ({
    name: feature.name,
    dataType: feature.type === 'categorical' ? 'int64' : 'float32',
    shape: [ONNX_BATCH_DIM],
    feature: { ...feature },
  }));
  const metadata: Record<string, string> = {
    [ONNX_MODEL_METADATA]: spec.name,
    [ONNX_TASKS_METADATA]: JSON.stringify(spec.tasks.map((t) => t.name)),
    [ONNX_FEATURES_METADATA]: JSON.stringify(
      inputInfo.map(({ feature: f }) =>
        f.type === 'categorical' ? { name: f.name, type: f.type, vocabularySize: f.vocabularySize } : { name: f.name, type: f.type },
      ),
    ),
    ...options.metadata,
  };
  const finished = graph.finish();
  const bytes = encodeOnnxModel(finished, {
    producerName: 'ektm',
    producerVersion: EKTM_CORE_VERSION,
    docString:
      `ektm model "${spec.name}": one input per feature (int64 ids, float32 values; [batch] each), ` +
      `one output per task (float32 probabilities, [batch]): ${spec.tasks.map((t) => t.name).join(', ')}.`,
    metadata,
  });
  return {
    model: bytes,
    inputs: inputInfo,
    outputs: outputInfo,
    opset: ONNX_OPSET,
    irVersion: ONNX_IR_VERSION,
    metadata,
    nodeCount: finished.nodes.length,
    initializerCount: finished.initializers.length,
  };
}

/** One int64 input per categorical feature, stacked to `[B, C]`; ids outside a feature's vocabulary become 0. */
function categoricalIds(graph: OnnxGraph, features: CategoricalFeatureSpec[]): string {
  for (const f of features) graph.addInput(f.name, 'int64', [ONNX_BATCH_DIM]);
  const names = features.map((f) => f.name);
  const ids = onnxStack(graph, names, 1);
  const sizes = graph.constant(
    features.map((f) => f.vocabularySize),
    [features.length],
    'int64',
    'vocabulary_sizes',
  );
  const zero = graph.constant([0], [], 'int64', 'zero_id');
  const valid = graph.op('And', [graph.op('GreaterOrEqual', [ids, zero]), graph.op('Less', [ids, sizes])]);
  return graph.op('Where', [valid, ids, zero]);
}

/** Emits one layer through its registered emitter, with the value names of the outputs it reads. */
function emitLayer(layer: layers.Layer, values: Map<layers.Layer, Array<string | undefined>>, graph: OnnxGraph): Array<string | undefined> {
  const who = `layer "${layer.name}" (${layer.getClassName()})`;
  if (layer.inboundNodes.length !== 1) {
    throw new ConfigError(`exportOnnx: ${who} is applied ${layer.inboundNodes.length} times; the export supports layers applied once`);
  }
  const node = layer.inboundNodes[0]!;
  const inputs = node.inboundLayers.map((source, i) => {
    const produced = values.get(source);
    if (!produced || node.nodeIndices[i] !== 0)
      throw new ConfigError(`exportOnnx: ${who} reads layer "${source.name}" before it is emitted`);
    const value = produced[node.tensorIndices[i]!];
    if (value === undefined) {
      throw new ConfigError(
        `exportOnnx: ${who} reads output ${node.tensorIndices[i]} of layer "${source.name}" (${source.getClassName()}), which its ONNX emitter did not emit`,
      );
    }
    return value;
  });
  const emitter = getOnnxEmitter(layer.getClassName(), layer.name);
  const shapes = node.inputShapes as Shape | Shape[];
  const inputShapes = inputs.length === 1 && !Array.isArray(shapes[0]) ? [shapes as Shape] : (shapes as Shape[]);
  const outputs = emitter(layer, inputs, graph, { inputShapes });
  if (!Array.isArray(outputs) || outputs.length !== node.outputTensors.length) {
    throw new ConfigError(
      `exportOnnx: the ONNX emitter of ${layer.getClassName()} returned ${Array.isArray(outputs) ? outputs.length : 'no list of'} outputs for ${who}, which has ${node.outputTensors.length}`,
    );
  }
  return outputs;
}

/** Graph inputs are named after features and outputs after tasks: the two must not share a name. */
function checkDistinctNames(inputs: string[], outputs: string[]): void {
  const clash = outputs.filter((o) => inputs.includes(o));
  if (clash.length) {
    throw new ConfigError(
      `exportOnnx: ${clash.map((c) => `"${c}"`).join(', ')} names both a feature (an ONNX input) and a task (an ONNX output); rename one of them`,
    );
  }
}
