/**
 * The registry of ONNX emitters, one per tfjs layer class, so that a model exports as one ONNX graph whatever
 * blocks it is composed of. Every block registers its emitter at import, beside its definition (like
 * `serialization.registerClass` and `registerLossKind`); a custom block registers its own and exports with no
 * other code.
 */
import type { layers, LayerVariable } from '@tensorflow/tfjs-layers';
import type { Shape } from '../composition/tfjs-types.js';
import { ConfigError } from '../errors/config-error.js';
import type { OnnxGraphBuilder } from './onnx-graph-builder.js';

/** What an emitter knows about the call of its block in the model, besides the block itself. */
export interface OnnxEmitContext {
  /** Static shapes of the block's inputs as tfjs computed them (`null` for the batch dimension), in input order. */
  inputShapes: Shape[];
}

/**
 * Emits the inference computation of one block: receives the value names of the block's inputs (in the order of
 * its `inputKeys`, i.e. of tfjs' inputs) and returns the value names of its outputs in the order of its
 * `outputKeys`. `undefined` marks an output that is not emitted (a diagnostic); the export fails, naming the
 * block, only if another block or a task output reads it. Dropout, stop-gradient and every other training-only
 * branch are left out: the graph computes what `predict` computes.
 */
export type OnnxEmitter<L extends layers.Layer = layers.Layer> = (
  block: L,
  inputs: string[],
  graph: OnnxGraphBuilder,
  context: OnnxEmitContext,
) => Array<string | undefined>;

const emitters = new Map<string, OnnxEmitter>();

/**
 * Registers the ONNX emitter of a tfjs layer class under its registered class name (`static className`, e.g.
 * `EktmTaskRouter`); packages call this at import, beside the layer. A later registration replaces an earlier one.
 */
export function registerOnnxEmitter<L extends layers.Layer>(className: string, emitter: OnnxEmitter<L>): void {
  if (typeof className !== 'string' || className === '') throw new ConfigError('registerOnnxEmitter: className must be a non-empty string');
  if (typeof emitter !== 'function') throw new ConfigError(`registerOnnxEmitter("${className}"): emitter must be a function`, className);
  emitters.set(className, emitter as unknown as OnnxEmitter);
}

/** Class names that have an ONNX emitter, in registration order. */
export function registeredOnnxEmitters(): string[] {
  return [...emitters.keys()];
}

/**
 * The emitter of a layer class; throws a `ConfigError` naming the class (and the layer) and saying how to register
 * one when there is none.
 */
export function getOnnxEmitter(className: string, layerName?: string): OnnxEmitter {
  const emitter = emitters.get(className);
  if (!emitter) {
    const layer = layerName ? ` (layer "${layerName}")` : '';
    throw new ConfigError(
      `no ONNX emitter is registered for layer class "${className}"${layer}, so the model cannot be exported to ONNX. ` +
        `Register one beside the class: registerOnnxEmitter('${className}', (block, inputs, graph, context) => [...outputs]) ` +
        `from @ektm/core (see docs/serving.md), or import the package that defines the class and its emitter. ` +
        `Registered: ${registeredOnnxEmitters().join(', ') || 'none'}`,
      className,
    );
  }
  return emitter;
}

/**
 * The weight `name` of a layer, as given to `addWeight` (`gate/kernel`, `dense0/bias`): tfjs stores it as
 * `<layer name>/<name>`. Throws naming the layer and its weights when there is no such weight.
 */
export function findLayerWeight(layer: layers.Layer, name: string): LayerVariable {
  const weights = layer.weights;
  const exact = weights.find((w) => w.originalName === `${layer.name}/${name}`);
  if (exact) return exact;
  const suffixed = weights.filter((w) => w.originalName.endsWith(`/${name}`));
  if (suffixed.length === 1) return suffixed[0]!;
  throw new ConfigError(
    `layer "${layer.name}" (${layer.getClassName()}) has no weight "${name}"; it has ${weights.map((w) => w.originalName).join(', ') || 'none'}`,
    name,
  );
}

/** Whether a layer has the weight `name` (see {@link findLayerWeight}). */
export function hasLayerWeight(layer: layers.Layer, name: string): boolean {
  return layer.weights.some((w) => w.originalName === `${layer.name}/${name}` || w.originalName.endsWith(`/${name}`));
}

/** Adds the weight `name` of a layer to the graph (see {@link findLayerWeight}); returns its value name. */
export function emitLayerWeight(graph: OnnxGraphBuilder, layer: layers.Layer, name: string): string {
  return graph.weight(findLayerWeight(layer, name), `${layer.name}/${name}`);
}
