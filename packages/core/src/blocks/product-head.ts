import * as tf from '@tensorflow/tfjs-core';
import { serialization } from '@tensorflow/tfjs-core';
import { probKey } from '../composition/record-keys.js';
import { TaskBlock, type TaskBlockArgs } from '../composition/task-block.js';
import type { ConfigDict, Shape } from '../composition/tfjs-types.js';

/** Arguments of {@link ProductHead}. */
export interface ProductHeadArgs extends Partial<TaskBlockArgs> {
  /** The product task (e.g. `ctcvr`). */
  task: string;
  /** The tasks whose probabilities multiply (e.g. `['click', 'cvr']`). */
  factors: string[];
}

/**
 * An entire-space product of probabilities, ESMM's pCTCVR = pCTR · pCVR (Ma et al., SIGIR 2018): the
 * conditional head is trained through the product, over every impression.
 */
export class ProductHead extends TaskBlock {
  /** Registered tfjs class name (how a saved model finds this layer again). */
  static readonly className = 'EktmProductHead';
  /** The product task; the head writes `prob:<task>`. */
  readonly task: string;
  /** The tasks whose probabilities multiply, read from `prob:<factor>`. */
  readonly factors: string[];

  constructor(args: ProductHeadArgs) {
    super({ ...args, inputKeys: args.inputKeys ?? args.factors.map(probKey), outputKeys: args.outputKeys ?? [probKey(args.task)] });
    this.task = args.task;
    this.factors = [...args.factors];
  }

  protected override callBlock(inputs: tf.Tensor[]): tf.Tensor[] {
    return [inputs.slice(1).reduce((acc, p) => tf.mul(acc, p), inputs[0]!)];
  }

  protected override blockOutputShapes(inputShapes: Shape[]): Shape[] {
    return [inputShapes[0]!];
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), task: this.task, factors: this.factors };
  }
}
serialization.registerClass(ProductHead);
