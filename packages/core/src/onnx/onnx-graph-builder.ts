/**
 * The graph-building interface that ONNX emitters write to. It knows nothing of protobuf: `@ektm/onnx`
 * implements it and serialises the result, so that a block's emitter can live beside the block in any package
 * (core, baselines, router, ... or an application's own) without depending on an ONNX library.
 */
import type { Tensor } from '@tensorflow/tfjs-core';
import type { LayerVariable } from '@tensorflow/tfjs-layers';

/** Element types of graph values and constants that emitters use (ONNX FLOAT, INT64 and BOOL). */
export type OnnxDataType = 'float32' | 'int64' | 'bool';

/** A float attribute; plain numbers are integer attributes, so a float says so (`{ float: 0.2 }`). */
export interface OnnxFloatAttribute {
  /** The value (stored as a 32-bit float). */
  float: number;
}

/** A list-of-floats attribute (`{ floats: [0.5, 1] }`); a plain number array is a list of integers. */
export interface OnnxFloatsAttribute {
  /** The values (stored as 32-bit floats). */
  floats: number[];
}

/**
 * The value of a node attribute: an integer (`axis: 1`), a list of integers (`perm: [1, 0, 2]`), a string, or a
 * float or list of floats marked as such.
 */
export type OnnxAttributeValue = number | number[] | string | OnnxFloatAttribute | OnnxFloatsAttribute;

/** Options of {@link OnnxGraphBuilder.node}. */
export interface OnnxNodeOptions {
  /** Node attributes by name. Default none. */
  attributes?: Record<string, OnnxAttributeValue>;
  /** Number of outputs, for operators with several (`Split`, `TopK`). Default 1. */
  outputs?: number;
  /** Operator domain; `''` is the default ONNX domain (`ai.onnx`). Default `''`. */
  domain?: string;
  /** Hint for the node's and outputs' names (made unique). Default: the operator type in lower case. */
  name?: string;
}

/**
 * Builds one ONNX graph. Values are named by strings: graph inputs, initializers and node outputs. An emitter
 * receives the value names of its block's inputs and returns the value names of its outputs; everything in
 * between it adds here. Nodes whose outputs no graph output needs are dropped when the graph is finished, so an
 * emitter may emit every output of its block (auxiliary heads, diagnostics) without cost.
 *
 * ```ts
 * const kernel = graph.weight(findLayerWeight(block, 'gate/kernel'));
 * const [z] = graph.node('MatMul', [x, kernel]);
 * const gate = graph.op('Sigmoid', [z!]);
 * ```
 */
export interface OnnxGraphBuilder {
  /**
   * Adds a tfjs weight (or any tensor) as a float32 initializer with its own shape, once per variable, and
   * returns its value name. The values are read when the call is made.
   */
  weight(source: LayerVariable | Tensor, hint?: string): string;
  /** Adds a constant tensor (row-major values) as an initializer and returns its value name. */
  constant(values: ArrayLike<number>, dims: readonly number[], dataType: OnnxDataType, hint?: string): string;
  /** Adds a node and returns the names of its outputs. */
  node(opType: string, inputs: readonly string[], options?: OnnxNodeOptions): string[];
  /** Adds a node with one output and returns that output's name. */
  op(opType: string, inputs: readonly string[], attributes?: Record<string, OnnxAttributeValue>): string;
  /** A value name starting with `hint` that no other value of the graph has. */
  uniqueName(hint: string): string;
}
