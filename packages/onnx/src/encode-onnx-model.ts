/**
 * Serialises a finished graph as an ONNX `ModelProto` with `onnx-proto` (the official onnx.proto3 compiled for
 * protobufjs), so that no protobuf bytes are written by hand.
 */
import { ConfigError, type OnnxAttributeValue, type OnnxDataType } from '@ektm/core';
import onnxProto from 'onnx-proto';
import type { FinishedOnnxGraph, OnnxValueInfo } from './onnx-graph.js';

const { onnx } = onnxProto;

/** The opset of the default ONNX domain the emitters target (LayerNormalization needs 17). */
export const ONNX_OPSET = 17;
/** The IR version that goes with opset 17 (ONNX 1.12). */
export const ONNX_IR_VERSION = 8;

/** Model-level fields of the serialised model. */
export interface OnnxModelInfo {
  /** `producer_name`. */
  producerName: string;
  /** `producer_version`. */
  producerVersion: string;
  /** `doc_string` of the model. */
  docString: string;
  /** `metadata_props`, key → value. */
  metadata: Record<string, string>;
}

const ELEMENT_TYPES: Record<OnnxDataType, number> = {
  float32: onnx.TensorProto.DataType.FLOAT,
  int64: onnx.TensorProto.DataType.INT64,
  bool: onnx.TensorProto.DataType.BOOL,
};

/** The bytes of the ONNX model file. */
export function encodeOnnxModel(graph: FinishedOnnxGraph, info: OnnxModelInfo): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: ONNX_IR_VERSION,
    opsetImport: [onnx.OperatorSetIdProto.create({ domain: '', version: ONNX_OPSET })],
    producerName: info.producerName,
    producerVersion: info.producerVersion,
    docString: info.docString,
    metadataProps: Object.entries(info.metadata).map(([key, value]) => onnx.StringStringEntryProto.create({ key, value })),
    graph: onnx.GraphProto.create({
      name: graph.name,
      node: graph.nodes.map((n) =>
        onnx.NodeProto.create({
          opType: n.opType,
          domain: n.domain,
          name: n.name,
          input: n.inputs,
          output: n.outputs,
          attribute: Object.entries(n.attributes).map(([name, value]) => attribute(name, value, n.name)),
        }),
      ),
      initializer: graph.initializers.map((init) =>
        onnx.TensorProto.create({ name: init.name, dims: init.dims, dataType: ELEMENT_TYPES[init.dataType], rawData: init.bytes }),
      ),
      input: graph.inputs.map(valueInfo),
      output: graph.outputs.map(valueInfo),
    }),
  });
  const problem = onnx.ModelProto.verify(model);
  if (problem) throw new ConfigError(`ONNX export: the model does not fit onnx.proto: ${problem}`);
  return onnx.ModelProto.encode(model).finish();
}

/** What an ONNX model file holds, read back: versions, metadata, inputs, outputs and operators (to check a written file). */
export function describeOnnxModel(bytes: Uint8Array): {
  /** `ir_version`. */
  irVersion: number;
  /** Opsets by domain. */
  opsets: Record<string, number>;
  /** `metadata_props`. */
  metadata: Record<string, string>;
  /** Graph input names. */
  inputs: string[];
  /** Graph output names. */
  outputs: string[];
  /** Operator types of the nodes, in order. */
  ops: string[];
  /** Number of initializers. */
  initializers: number;
} {
  const model = onnx.ModelProto.decode(bytes);
  const graph = model.graph!;
  return {
    irVersion: Number(model.irVersion),
    opsets: Object.fromEntries(model.opsetImport.map((o) => [o.domain ?? '', Number(o.version)])),
    metadata: Object.fromEntries(model.metadataProps.map((p) => [p.key ?? '', p.value ?? ''])),
    inputs: (graph.input ?? []).map((v) => v.name ?? ''),
    outputs: (graph.output ?? []).map((v) => v.name ?? ''),
    ops: (graph.node ?? []).map((n) => n.opType ?? ''),
    initializers: (graph.initializer ?? []).length,
  };
}

function valueInfo(value: OnnxValueInfo) {
  return onnx.ValueInfoProto.create({
    name: value.name,
    type: onnx.TypeProto.create({
      tensorType: onnx.TypeProto.Tensor.create({
        elemType: ELEMENT_TYPES[value.dataType],
        shape: onnx.TensorShapeProto.create({
          dim: value.shape.map((d) => onnx.TensorShapeProto.Dimension.create(typeof d === 'number' ? { dimValue: d } : { dimParam: d })),
        }),
      }),
    }),
  });
}

function attribute(name: string, value: OnnxAttributeValue, node: string) {
  const { AttributeType } = onnx.AttributeProto;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value))
      throw new ConfigError(`ONNX export: node ${node} attribute ${name} = ${value}: a float must be given as { float: ${value} }`, name);
    return onnx.AttributeProto.create({ name, type: AttributeType.INT, i: value });
  }
  if (typeof value === 'string')
    return onnx.AttributeProto.create({ name, type: AttributeType.STRING, s: new TextEncoder().encode(value) });
  if (Array.isArray(value)) {
    if (!value.every(Number.isSafeInteger))
      throw new ConfigError(`ONNX export: node ${node} attribute ${name}: floats must be given as { floats: [...] }`, name);
    return onnx.AttributeProto.create({ name, type: AttributeType.INTS, ints: value });
  }
  if ('float' in value) return onnx.AttributeProto.create({ name, type: AttributeType.FLOAT, f: value.float });
  return onnx.AttributeProto.create({ name, type: AttributeType.FLOATS, floats: value.floats });
}
