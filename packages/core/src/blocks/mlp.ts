import type * as tf from '@tensorflow/tfjs-core';
import { serialization } from '@tensorflow/tfjs-core';
import { TaskBlock, type TaskBlockArgs } from '../composition/task-block.js';
import type { ConfigDict, ConfigValue, Shape } from '../composition/tfjs-types.js';
import { DenseStack, validateDenseStackOptions, type DenseStackOptions } from '../layers/dense-stack.js';

/** Arguments of {@link Mlp}: a dense stack applied to one record entry. */
export interface MlpArgs extends Partial<TaskBlockArgs>, DenseStackOptions {
  /** Record key read; written back to `outputKey` (default: the same key). */
  key: string;
  /** Record key written. Default `key`. */
  outputKey?: string;
  /** Initializer seed. Default 0. */
  seed?: number;
}

/**
 * An MLP over one record entry (sizes, activation, dropout, batch or layer norm), e.g. an extra per-task
 * layer between a backbone and the towers.
 */
export class Mlp extends TaskBlock {
  /** Registered tfjs class name (how a saved model finds this layer again). */
  static readonly className = 'EktmMlp';
  /** The dense-stack options taken from the arguments (unset ones keep the dense-stack defaults). */
  readonly options: DenseStackOptions;
  /** Initializer seed. */
  readonly seed: number;
  private stack?: DenseStack;

  constructor(args: MlpArgs) {
    super({ ...args, inputKeys: args.inputKeys ?? [args.key], outputKeys: args.outputKeys ?? [args.outputKey ?? args.key] });
    this.options = {
      units: args.units,
      activation: args.activation,
      activateLast: args.activateLast,
      dropout: args.dropout,
      normalization: args.normalization,
    };
    this.seed = args.seed ?? 0;
    validateDenseStackOptions(this.options, `mlp "${args.key}"`);
  }

  protected override buildBlock(inputShapes: Shape[]): void {
    const inputDim = inputShapes[0]![inputShapes[0]!.length - 1] as number;
    this.stack = new DenseStack(this.options, this.weightFactory(), 'dense', inputDim, this.seed);
  }

  protected override callBlock(inputs: tf.Tensor[], training: boolean): tf.Tensor[] {
    return [this.stack!.apply(inputs[0]!, training)];
  }

  protected override blockOutputShapes(inputShapes: Shape[]): Shape[] {
    return [[...inputShapes[0]!.slice(0, -1), this.options.units[this.options.units.length - 1]!]];
  }

  override getConfig(): ConfigDict {
    const { units, activation, activateLast, dropout, normalization } = this.options;
    const options = Object.fromEntries(
      Object.entries({ units, activation, activateLast, dropout, normalization }).filter(([, v]) => v !== undefined),
    );
    return { ...super.getConfig(), ...(options as ConfigDict), key: this.inputKeys[0]!, seed: this.seed } as ConfigDict & {
      [k: string]: ConfigValue;
    };
  }
}
serialization.registerClass(Mlp);
