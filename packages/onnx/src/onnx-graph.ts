/**
 * The in-memory ONNX graph that emitters build through core's `OnnxGraphBuilder`: value names, nodes in the order
 * they were added (emitters add them in dependency order), initializers as little-endian bytes, graph inputs and
 * outputs. `finish` drops every node and initializer that no graph output needs. Serialising it is
 * `encodeOnnxModel`'s job, so this file knows nothing of protobuf.
 */
import { ConfigError, type OnnxAttributeValue, type OnnxDataType, type OnnxGraphBuilder, type OnnxNodeOptions } from '@ektm/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import type { LayerVariable } from '@tensorflow/tfjs-layers';

/** A dimension of a graph input or output: a size, or a symbolic name (`batch`). */
export type OnnxDim = number | string;

/** A node of the graph. */
export interface OnnxGraphNode {
  /** Operator type (`MatMul`). */
  opType: string;
  /** Operator domain (`''` = ai.onnx). */
  domain: string;
  /** Unique node name. */
  name: string;
  /** Input value names (`''` for an omitted optional input). */
  inputs: string[];
  /** Output value names. */
  outputs: string[];
  /** Attributes by name. */
  attributes: Record<string, OnnxAttributeValue>;
}

/** A constant or weight of the graph. */
export interface OnnxGraphInitializer {
  /** Value name. */
  name: string;
  /** Element type. */
  dataType: OnnxDataType;
  /** Shape. */
  dims: number[];
  /** Row-major values as little-endian bytes (ONNX `raw_data`). */
  bytes: Uint8Array;
}

/** A graph input or output: name, element type and shape. */
export interface OnnxValueInfo {
  /** Value name. */
  name: string;
  /** Element type. */
  dataType: OnnxDataType;
  /** Shape, with symbolic dimensions by name. */
  shape: OnnxDim[];
}

/** A graph ready to serialise: only what its outputs need. */
export interface FinishedOnnxGraph {
  /** Graph name. */
  name: string;
  /** Nodes in topological order. */
  nodes: OnnxGraphNode[];
  /** Initializers the nodes read. */
  initializers: OnnxGraphInitializer[];
  /** Graph inputs. */
  inputs: OnnxValueInfo[];
  /** Graph outputs. */
  outputs: OnnxValueInfo[];
}

/** Constants up to this many elements are shared between emitters that ask for the same one (axes, shapes). */
const SHARED_CONSTANT_LIMIT = 64;

/** The implementation of `OnnxGraphBuilder` (from `@ektm/core`) that `exportOnnx` hands to every emitter. */
export class OnnxGraph implements OnnxGraphBuilder {
  private readonly names = new Set<string>();
  private readonly nodes: OnnxGraphNode[] = [];
  private readonly initializers = new Map<string, OnnxGraphInitializer>();
  private readonly weightNames = new Map<object, string>();
  private readonly sharedConstants = new Map<string, string>();
  private readonly inputs: OnnxValueInfo[] = [];
  private readonly outputs: OnnxValueInfo[] = [];

  constructor(
    /** Graph name. */
    readonly name: string,
    /** Names the graph's inputs and outputs will take: no internal value may take them first. */
    reserved: Iterable<string> = [],
  ) {
    for (const n of reserved) this.names.add(n);
  }

  /** Declares a graph input under a reserved name; returns the name. */
  addInput(name: string, dataType: OnnxDataType, shape: OnnxDim[]): string {
    this.inputs.push({ name, dataType, shape });
    return name;
  }

  /** Makes `value` a graph output named `name` (a reserved name) through an `Identity` or, with `flatten`, a reshape to `[-1]`. */
  addOutput(value: string, name: string, dataType: OnnxDataType, shape: OnnxDim[], flatten = false): void {
    const inputs = flatten ? [value, this.constant([-1], [1], 'int64', 'flat')] : [value];
    this.nodes.push({
      opType: flatten ? 'Reshape' : 'Identity',
      domain: '',
      name: this.uniqueName(`output/${name}`),
      inputs,
      outputs: [name],
      attributes: {},
    });
    this.outputs.push({ name, dataType, shape });
  }

  weight(source: LayerVariable | Tensor, hint = 'weight'): string {
    const known = this.weightNames.get(source);
    if (known) return known;
    const tensor = 'read' in source && typeof source.read === 'function' ? (source as LayerVariable).read() : (source as Tensor);
    if (tensor.dtype !== 'float32')
      throw new ConfigError(`ONNX export: weight "${hint}" is ${tensor.dtype}; only float32 weights are exported`, hint);
    const name = this.addInitializer(hint, 'float32', [...tensor.shape], tensor.dataSync() as Float32Array);
    this.weightNames.set(source, name);
    return name;
  }

  constant(values: ArrayLike<number>, dims: readonly number[], dataType: OnnxDataType, hint = 'const'): string {
    const size = dims.reduce((a, b) => a * b, 1);
    if (values.length !== size) {
      throw new ConfigError(`ONNX export: constant "${hint}" has ${values.length} values for shape [${dims.join(', ')}] (${size})`, hint);
    }
    if (size > SHARED_CONSTANT_LIMIT) return this.addInitializer(hint, dataType, [...dims], values);
    const key = `${dataType}|${dims.join(',')}|${Array.from(values, (v) => (Object.is(v, -0) ? '-0' : String(v))).join(',')}`;
    let name = this.sharedConstants.get(key);
    if (!name) {
      name = this.addInitializer(hint, dataType, [...dims], values);
      this.sharedConstants.set(key, name);
    }
    return name;
  }

  node(opType: string, inputs: readonly string[], options: OnnxNodeOptions = {}): string[] {
    for (const input of inputs) {
      if (input !== '' && !this.names.has(input)) {
        throw new ConfigError(`ONNX export: node ${opType} reads "${input}", which is not a value of the graph`, opType);
      }
    }
    const hint = options.name ?? opType.toLowerCase();
    const name = this.uniqueName(hint);
    const count = options.outputs ?? 1;
    const outputs = Array.from({ length: count }, (_, i) => (count === 1 ? name : this.uniqueName(`${name}:${i}`)));
    this.nodes.push({ opType, domain: options.domain ?? '', name, inputs: [...inputs], outputs, attributes: { ...options.attributes } });
    return outputs;
  }

  op(opType: string, inputs: readonly string[], attributes?: Record<string, OnnxAttributeValue>): string {
    return this.node(opType, inputs, { attributes })[0]!;
  }

  uniqueName(hint: string): string {
    const base = hint === '' ? 'value' : hint;
    let name = base;
    for (let i = 1; this.names.has(name); i++) name = `${base}_${i}`;
    this.names.add(name);
    return name;
  }

  /** The graph with only the nodes and initializers that its outputs need. */
  finish(): FinishedOnnxGraph {
    const needed = new Set(this.outputs.map((o) => o.name));
    const kept: OnnxGraphNode[] = [];
    for (let i = this.nodes.length - 1; i >= 0; i--) {
      const node = this.nodes[i]!;
      if (!node.outputs.some((o) => needed.has(o))) continue;
      kept.push(node);
      for (const input of node.inputs) if (input !== '') needed.add(input);
    }
    const produced = new Set([...this.inputs.map((v) => v.name), ...this.initializers.keys(), ...kept.flatMap((n) => n.outputs)]);
    const missing = this.outputs.filter((o) => !produced.has(o.name));
    if (missing.length) throw new ConfigError(`ONNX export: outputs ${missing.map((o) => o.name).join(', ')} are computed by no node`);
    return {
      name: this.name,
      nodes: kept.reverse(),
      initializers: [...this.initializers.values()].filter((init) => needed.has(init.name)),
      inputs: [...this.inputs],
      outputs: [...this.outputs],
    };
  }

  private addInitializer(hint: string, dataType: OnnxDataType, dims: number[], values: ArrayLike<number>): string {
    const name = this.uniqueName(hint);
    this.initializers.set(name, { name, dataType, dims, bytes: littleEndianBytes(values, dataType) });
    return name;
  }
}

/** Values as the little-endian bytes of ONNX `raw_data`. */
function littleEndianBytes(values: ArrayLike<number>, dataType: OnnxDataType): Uint8Array {
  const width = dataType === 'int64' ? 8 : dataType === 'float32' ? 4 : 1;
  const bytes = new Uint8Array(values.length * width);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (dataType === 'float32') view.setFloat32(i * 4, v, true);
    else if (dataType === 'int64') {
      if (!Number.isSafeInteger(v)) throw new ConfigError(`ONNX export: ${v} is not an integer for an int64 constant`);
      view.setBigInt64(i * 8, BigInt(v), true);
    } else view.setUint8(i, v ? 1 : 0);
  }
  return bytes;
}
