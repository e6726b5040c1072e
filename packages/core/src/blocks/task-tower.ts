import * as tf from '@tensorflow/tfjs-core';
import { serialization } from '@tensorflow/tfjs-core';
import { probKey } from '../composition/record-keys.js';
import { TaskBlock, type TaskBlockArgs } from '../composition/task-block.js';
import type { ConfigDict, ConfigValue, Shape } from '../composition/tfjs-types.js';
import { DenseStack, validateDenseStackOptions, type DenseStackOptions } from '../layers/dense-stack.js';
import { ConfigError } from '../errors/config-error.js';

/** Arguments of {@link TaskTower}. */
export interface TaskTowerArgs extends Partial<TaskBlockArgs> {
  /** The task; the tower reads `<task>` and writes `prob:<task>`. */
  task: string;
  /** Hidden layers before the output unit. Default `{ units: [64] }`; `{ units: [] }` is a logistic head. */
  hidden?: Partial<DenseStackOptions>;
  /** Output activation: `sigmoid` for a probability (default), `linear` for regression. */
  outputActivation?: 'sigmoid' | 'linear';
  /** Initializer seed. Default 0. */
  seed?: number;
}

/** A task's tower and head: an MLP, then one unit, then a sigmoid: `<task> [B, d] → prob:<task> [B, 1]`. */
export class TaskTower extends TaskBlock {
  /** Registered tfjs class name (how a saved model finds this layer again). */
  static readonly className = 'EktmTaskTower';
  /** The task this tower predicts. */
  readonly task: string;
  /** Hidden layers before the output unit, with the default units filled in. */
  readonly hidden: DenseStackOptions;
  /** `sigmoid` for a probability, `linear` for regression. */
  readonly outputActivation: 'sigmoid' | 'linear';
  /** Initializer seed. */
  readonly seed: number;
  private stack?: DenseStack;

  constructor(args: TaskTowerArgs) {
    super({ ...args, inputKeys: args.inputKeys ?? [args.task], outputKeys: args.outputKeys ?? [probKey(args.task)] });
    this.task = args.task;
    this.hidden = { units: [64], ...args.hidden };
    this.outputActivation = args.outputActivation ?? 'sigmoid';
    this.seed = args.seed ?? 0;
    validateDenseStackOptions({ ...this.hidden, units: this.hidden.units.length ? this.hidden.units : [1] }, `tower "${this.task}".hidden`);
    if (this.outputActivation !== 'sigmoid' && this.outputActivation !== 'linear') {
      throw new ConfigError(
        `tower "${this.task}".outputActivation: "${this.outputActivation}" is not allowed; use sigmoid or linear`,
        `tower "${this.task}".outputActivation`,
      );
    }
  }

  protected override buildBlock(inputShapes: Shape[]): void {
    const inputDim = inputShapes[0]![inputShapes[0]!.length - 1] as number;
    this.stack = new DenseStack(
      { ...this.hidden, units: [...this.hidden.units, 1], activateLast: false },
      this.weightFactory(),
      'dense',
      inputDim,
      this.seed,
    );
  }

  protected override callBlock(inputs: tf.Tensor[], training: boolean): tf.Tensor[] {
    const logit = this.stack!.apply(inputs[0]!, training);
    return [this.outputActivation === 'sigmoid' ? tf.sigmoid(logit) : logit];
  }

  protected override blockOutputShapes(inputShapes: Shape[]): Shape[] {
    return [[inputShapes[0]![0] ?? null, 1]];
  }

  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      task: this.task,
      hidden: this.hidden as unknown as ConfigValue,
      outputActivation: this.outputActivation,
      seed: this.seed,
    };
  }
}
serialization.registerClass(TaskTower);
