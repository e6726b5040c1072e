import * as tf from '@tensorflow/tfjs-core';
import { serialization } from '@tensorflow/tfjs-core';
import { INPUT_KEY } from '../composition/record-keys.js';
import { TaskBlock, type TaskBlockArgs } from '../composition/task-block.js';
import type { ConfigDict, ConfigValue, Shape } from '../composition/tfjs-types.js';
import { DenseStack, validateDenseStackOptions, type DenseStackOptions } from '../layers/dense-stack.js';

/** Arguments of {@link SharedBottom}. */
export interface SharedBottomArgs extends Partial<TaskBlockArgs> {
  /** Tasks that receive the shared representation. */
  tasks: string[];
  /** The shared MLP. Default `{ units: [128, 64] }`. */
  bottom?: Partial<DenseStackOptions>;
  /** Initializer seed. Default 0. */
  seed?: number;
}

/**
 * The shared-bottom backbone (Caruana, 1997): one MLP over the input, its output handed to every task:
 * `$input → {task: [B, d]}`.
 */
export class SharedBottom extends TaskBlock {
  /** Registered tfjs class name (how a saved model finds this layer again). */
  static readonly className = 'EktmSharedBottom';
  /** Tasks that receive the shared representation, one output key each. */
  readonly tasks: string[];
  /** The shared MLP's options, with the default units filled in. */
  readonly bottom: DenseStackOptions;
  /** Initializer seed. */
  readonly seed: number;
  private stack?: DenseStack;

  constructor(args: SharedBottomArgs) {
    super({ ...args, inputKeys: args.inputKeys ?? [INPUT_KEY], outputKeys: args.outputKeys ?? args.tasks });
    this.tasks = [...args.tasks];
    this.bottom = { units: [128, 64], ...args.bottom };
    this.seed = args.seed ?? 0;
    validateDenseStackOptions(this.bottom, 'backbone.bottom');
  }

  protected override buildBlock(inputShapes: Shape[]): void {
    this.stack = new DenseStack(this.bottom, this.weightFactory(), 'bottom', inputShapes[0]![1] as number, this.seed);
  }

  protected override callBlock(inputs: tf.Tensor[], training: boolean): tf.Tensor[] {
    const shared = this.stack!.apply(inputs[0]!, training);
    return this.tasks.map(() => shared);
  }

  protected override blockOutputShapes(inputShapes: Shape[]): Shape[] {
    const width = this.bottom.units[this.bottom.units.length - 1]!;
    return this.tasks.map(() => [inputShapes[0]![0] ?? null, width]);
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), tasks: this.tasks, bottom: this.bottom as unknown as ConfigValue, seed: this.seed };
  }
}
serialization.registerClass(SharedBottom);
