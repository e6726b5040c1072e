import type * as tf from '@tensorflow/tfjs-core';
import { serialization } from '@tensorflow/tfjs-core';
import { INPUT_KEY, TaskBlock, type ConfigDict, type ConfigValue, type Shape, type TaskBlockArgs } from '@ektm/core';
import { BatchedExperts, validateExpertOptions, type ExpertOptions } from '../experts/batched-experts.js';
import { unstackSlots } from '../experts/gating.js';
import { validateTaskNames } from '../util/task-list.js';

/** Arguments of {@link SingleTaskBackbone}. */
export interface SingleTaskBackboneArgs extends Partial<TaskBlockArgs> {
  /** Tasks; each gets its own network over `$input`. */
  tasks: string[];
  /** The network of each task. Default `{ units: [128, 64] }`. */
  bottom?: ExpertOptions;
  /** Initializer seed. Default 0. */
  seed?: number;
}

/**
 * One network per task over the shared embeddings, nothing else shared: the reference for negative transfer
 * (a multi-task model that does worse than this on a task transfers harmfully to it). The ESMM paper's
 * architecture (Ma et al., SIGIR 2018) and AITM's per-task towers (Xi et al., KDD 2021) are this backbone too.
 * The T networks run as one batched computation. `$input → {task: [B, d]}`.
 */
export class SingleTaskBackbone extends TaskBlock {
  /** Registered tfjs class name (how a saved model finds this layer again). */
  static readonly className = 'EktmSingleTaskBackbone';
  /** Tasks written, in order. */
  readonly tasks: string[];
  /** The network of each task, defaults filled. */
  readonly bottom: ExpertOptions;
  /** Initializer seed. */
  readonly seed: number;
  private networks?: BatchedExperts;

  constructor(args: SingleTaskBackboneArgs) {
    const tasks = validateTaskNames(args?.tasks, 'single-task.tasks');
    super({ ...args, inputKeys: args.inputKeys ?? [INPUT_KEY], outputKeys: args.outputKeys ?? tasks });
    this.tasks = tasks;
    this.bottom = { units: [128, 64], ...args.bottom };
    this.seed = args.seed ?? 0;
    validateExpertOptions(this.bottom, 'single-task.bottom');
  }

  protected override buildBlock(inputShapes: Shape[]): void {
    this.networks = new BatchedExperts(
      this.bottom,
      this.weightFactory(),
      'task',
      this.tasks.length,
      inputShapes[0]![1] as number,
      this.seed,
    );
  }

  protected override callBlock(inputs: tf.Tensor[], training: boolean): tf.Tensor[] {
    return unstackSlots(this.networks!.applyShared(inputs[0]!, training));
  }

  protected override blockOutputShapes(inputShapes: Shape[]): Shape[] {
    const width = this.bottom.units[this.bottom.units.length - 1]!;
    return this.tasks.map(() => [inputShapes[0]![0] ?? null, width]);
  }

  /** The constructor arguments as a JSON config (tfjs serialization). */
  override getConfig(): ConfigDict {
    return { ...super.getConfig(), tasks: this.tasks, bottom: this.bottom as unknown as ConfigValue, seed: this.seed };
  }
}
serialization.registerClass(SingleTaskBackbone);
