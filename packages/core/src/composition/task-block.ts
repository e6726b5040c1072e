import { clone, serialization, tidy, type Tensor } from '@tensorflow/tfjs-core';
import { layers } from '@tensorflow/tfjs-layers';
import type { Initializer, WeightFactory } from '../layers/dense-stack.js';
import type { LossTermSpec } from '../tasks/loss-terms.js';
import { escapeConfigStrings, unescapeConfigStrings } from './config-strings.js';
import { asArray, unwrapSingle, type ConfigDict, type Kwargs, type LayerArgs, type Shape } from './tfjs-types.js';
import { ConfigError } from '../errors/config-error.js';

/** Arguments every task block takes: which record keys it reads and which it writes. */
export interface TaskBlockArgs extends LayerArgs {
  /** Record keys this block reads, in the order `callBlock` receives them (e.g. `['$input']`, `['click', 'buy']`). */
  inputKeys: string[];
  /** Record keys this block writes, in the order `callBlock` returns them. */
  outputKeys: string[];
}

/**
 * The unit of composition: a registered, serializable tfjs layer that maps entries of the per-task
 * representation record to new entries. A backbone reads `$input` and writes one representation per task;
 * a transfer block (router, transmitter, enhancer) reads representations and writes new ones; a tower reads a
 * representation and writes `prob:<task>`. Subclasses implement `buildBlock`, `callBlock` and
 * `blockOutputShapes` on plain arrays; this base class adapts them to tfjs' `Tensor | Tensor[]` conventions.
 */
export abstract class TaskBlock extends layers.Layer {
  /** Record keys read, in order. */
  readonly inputKeys: string[];
  /** Record keys written, in order. */
  readonly outputKeys: string[];

  constructor(args: TaskBlockArgs) {
    super(args);
    const who = `${new.target.name}${args.name ? ` "${args.name}"` : ''}`;
    for (const key of ['inputKeys', 'outputKeys'] as const) {
      const keys = args[key];
      if (!Array.isArray(keys) || keys.length === 0 || keys.some((k) => typeof k !== 'string' || k === '')) {
        throw new ConfigError(`${who}: ${key} must be a non-empty array of record keys, got ${JSON.stringify(keys)}`, who);
      }
      if (new Set(keys).size !== keys.length) throw new ConfigError(`${who}: ${key} has duplicates: ${keys.join(', ')}`, who);
    }
    this.inputKeys = [...args.inputKeys];
    this.outputKeys = [...args.outputKeys];
    // Every subclass's config leaves through this wrapper, so task names and record keys survive tfjs' string
    // rewriting on save and load (see config-strings.ts); `fromConfig` below reverses it.
    const blockConfig = this.getConfig;
    Object.defineProperty(this, 'getConfig', {
      value: () => escapeConfigStrings(blockConfig.call(this)),
      enumerable: false,
      writable: true,
    });
  }

  /** Builds a block from a config made by `getConfig` (whose strings are escaped) or by tfjs deserialization. */
  static override fromConfig<T extends serialization.Serializable>(
    cls: serialization.SerializableConstructor<T>,
    config: serialization.ConfigDict,
  ): T {
    return new cls(unescapeConfigStrings(config as ConfigDict));
  }

  /** A factory that creates weights on this layer, for helpers such as `DenseStack`. */
  protected weightFactory(): WeightFactory {
    return (name: string, shape: number[], initializer: Initializer, trainable: boolean) =>
      this.addWeight(name, shape, 'float32', initializer, undefined, trainable);
  }

  /** Creates weights from the input shapes, in `inputKeys` order. */
  protected buildBlock(_inputShapes: Shape[]): void {}

  /** Computes the outputs, in `outputKeys` order. Runs inside `tidy`. */
  protected abstract callBlock(inputs: Tensor[], training: boolean): Tensor[];

  /** Output shapes, in `outputKeys` order. */
  protected abstract blockOutputShapes(inputShapes: Shape[]): Shape[];

  /** Auxiliary loss terms this block contributes (none by default). */
  lossTerms(): LossTermSpec[] {
    return [];
  }

  override build(inputShape: Shape | Shape[]): void {
    this.buildBlock(normaliseShapes(inputShape, this.inputKeys.length));
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const shapes = this.blockOutputShapes(normaliseShapes(inputShape, this.inputKeys.length));
    return shapes.length === 1 ? shapes[0]! : shapes;
  }

  override call(inputs: Tensor | Tensor[], kwargs: Kwargs): Tensor | Tensor[] {
    return tidy(() => {
      const list = asArray(inputs);
      if (list.length !== this.inputKeys.length) {
        // Internal invariant: tfjs hands a layer the inputs its graph was built with; a mismatch is a bug, not bad input.
        throw new Error(`${this.name}: expected ${this.inputKeys.length} inputs (${this.inputKeys.join(', ')}), got ${list.length}`);
      }
      return unwrapSingle(distinctTensors(this.callBlock(list, kwargs?.training === true), list));
    });
  }

  /**
   * The block's config. Subclasses add their fields to `super.getConfig()`; on the way out every string value is
   * escaped against tfjs' snake/camel rewriting (`escapeConfigStrings`), which `TaskBlock.fromConfig` reverses.
   */
  override getConfig(): ConfigDict {
    return { ...(super.getConfig() as ConfigDict), inputKeys: this.inputKeys, outputKeys: this.outputKeys };
  }
}

/**
 * tfjs' executor disposes a tensor after its last consumer, so an output that is the same object as an input or
 * as another output (a shared bottom, an identity ablation) must be a distinct (cheap, shared-memory) clone.
 */
function distinctTensors(outputs: Tensor[], inputs: Tensor[]): Tensor[] {
  const seen = new Set<Tensor>(inputs);
  return outputs.map((t) => {
    if (!seen.has(t)) {
      seen.add(t);
      return t;
    }
    return clone(t);
  });
}

/** tfjs passes one shape for a single input and a list for several; blocks always see a list. */
function normaliseShapes(shape: Shape | Shape[], count: number): Shape[] {
  if (count === 1 && !Array.isArray(shape[0])) return [shape as Shape];
  return shape as Shape[];
}
