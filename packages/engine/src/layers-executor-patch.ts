/**
 * Makes tfjs-layers run a multi-output layer once per model call instead of once per output.
 *
 * tfjs-layers 4.22's functional executor (`execute` in engine/executor, behind `LayersModel.apply`/`predict`)
 * walks the topologically sorted *symbolic tensors* and calls `sourceLayer.apply` for each of them, so a layer
 * with three outputs (an MMoE writing two task representations and its gate diagnostics) runs three times on
 * the same inputs; only the first run's outputs feed the rest of the graph. On the reference MMoE that was two
 * thirds of the forward pass and of inference wasted, and with dropout the runs even draw different masks.
 *
 * The fix memoises, for the duration of one container call, each layer's outputs by its concrete input tensors
 * and training flag: the executor's second and third `apply` of the same node get the first run's tensors back.
 * Gradients are unchanged (the repeated runs never fed the loss). Backend-independent; idempotent.
 */
import { Tensor } from '@tensorflow/tfjs-core';
import { layers, LayersModel } from '@tensorflow/tfjs-layers';

type ApplyFn = (this: layers.Layer, inputs: unknown, kwargs?: Record<string, unknown>) => unknown;
type CallFn = (this: layers.Layer, inputs: unknown, kwargs: Record<string, unknown>) => unknown;

interface MemoEntry {
  inputs: Tensor[];
  training: unknown;
  outputs: unknown;
}

/** Registry-wide marker, so that two copies of this module (ESM and CJS builds) patch once. */
const PATCHED = Symbol.for('@ektm/engine/layers-executor-patch');

/** One memo per container call in progress (containers can nest). */
const memoStack: Map<layers.Layer, MemoEntry[]>[] = [];

function concreteInputs(inputs: unknown): Tensor[] | undefined {
  const list = Array.isArray(inputs) ? inputs : [inputs];
  return list.every((t) => t instanceof Tensor) ? (list as Tensor[]) : undefined;
}

/** `fn` run with a fresh memo on the stack. */
function withMemo<F extends (...args: never[]) => unknown>(fn: F): F {
  return function memoised(this: unknown, ...args: Parameters<F>): unknown {
    memoStack.push(new Map());
    try {
      return fn.apply(this, args);
    } finally {
      memoStack.pop();
    }
  } as F;
}

/**
 * Installs the memo on tfjs-layers' `Layer.apply`, functional `call`, `predict` and the `fit`/`evaluate` step
 * functions; returns whether it did (false: already).
 */
export function patchLayersExecutor(): boolean {
  const layerProto = layers.Layer.prototype as unknown as Record<PropertyKey, unknown>;
  if (layerProto[PATCHED]) return false;
  // LayersModel extends Container, the functional-graph layer whose `call` runs the executor.
  const containerProto = Object.getPrototypeOf(LayersModel.prototype) as Record<PropertyKey, unknown>;
  const originalApply = layerProto['apply'] as ApplyFn;
  const originalCall = containerProto['call'] as CallFn;

  layerProto['apply'] = function apply(this: layers.Layer, inputs: unknown, kwargs?: Record<string, unknown>): unknown {
    const memo = memoStack[memoStack.length - 1];
    const tensors = memo ? concreteInputs(inputs) : undefined;
    if (!memo || !tensors) return originalApply.call(this, inputs, kwargs);
    const training = kwargs?.['training'];
    const entries = memo.get(this) ?? [];
    const hit = entries.find(
      (e) => e.training === training && e.inputs.length === tensors.length && e.inputs.every((t, i) => t === tensors[i]),
    );
    // In inference the executor may already have disposed an output its consumers are done with; it only reads
    // the outputs of a node it has not seen, so handing back the first run's list (disposed entries included) is safe.
    if (hit) return hit.outputs;
    const outputs = originalApply.call(this, inputs, kwargs);
    entries.push({ inputs: tensors, training, outputs });
    memo.set(this, entries);
    return outputs;
  };
  // Every synchronous entry into the executor gets its own memo: `apply` (Container.call), `predict`
  // (predictLoop), and the step functions behind `fit` and `evaluate`.
  containerProto['call'] = withMemo(originalCall);
  const modelProto = LayersModel.prototype as unknown as Record<string, unknown>;
  modelProto['predictLoop'] = withMemo(modelProto['predictLoop'] as (...args: unknown[]) => unknown);
  // makeTrainFunction returns the step function; makeTestFunction stores it in `testFunction`.
  const makeTrain = modelProto['makeTrainFunction'] as (...args: unknown[]) => (...args: never[]) => unknown;
  modelProto['makeTrainFunction'] = function makeTrainFunction(this: unknown, ...args: unknown[]) {
    return withMemo(makeTrain.apply(this, args));
  };
  const makeTest = modelProto['makeTestFunction'] as (...args: unknown[]) => unknown;
  modelProto['makeTestFunction'] = function makeTestFunction(this: { testFunction?: (...args: never[]) => unknown }, ...args: unknown[]) {
    const result = makeTest.apply(this, args);
    if (typeof this.testFunction === 'function') this.testFunction = withMemo(this.testFunction);
    return result;
  };
  layerProto[PATCHED] = { originalApply, originalCall };
  return true;
}

/** Whether {@link patchLayersExecutor} is installed (for diagnostics and tests). */
export function layersExecutorPatched(): boolean {
  return Boolean((layers.Layer.prototype as unknown as Record<PropertyKey, unknown>)[PATCHED]);
}
