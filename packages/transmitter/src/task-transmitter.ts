import * as tf from '@tensorflow/tfjs-core';
import { serialization } from '@tensorflow/tfjs-core';
import { initializers, type LayerVariable } from '@tensorflow/tfjs-layers';
import {
  DENSE_ACTIVATIONS,
  DenseStack,
  denseFused,
  SeedSequence,
  TaskBlock,
  type ConfigDict,
  type DenseActivation,
  type Shape,
  type TaskBlockArgs,
} from '@ektm/core';
import { ConfigError } from '@ektm/core';

/** Record key of a transmitter's output for a target task. */
export function transmittedKey(task: string): string {
  return `transmitted:${task}`;
}

/**
 * What a transmitter does to the router's knowledge F_i (the paper has one transmitter per CVR task but does
 * not publish its form; this project's reconstruction):
 * - `gated-mlp` (default): `g ⊙ MLP(F_i)` with `g = σ(W[F_i; f_i] + b)`, so the task decides, per unit and per
 *   sample, how much of the transformed knowledge it takes;
 * - `mlp`: `MLP(F_i)`;
 * - `identity`: F_i unchanged (the ablation).
 */
export type TransmitterKind = 'gated-mlp' | 'mlp' | 'identity';

/** Every allowed {@link TransmitterKind}. */
export const TRANSMITTER_KINDS: readonly TransmitterKind[] = ['gated-mlp', 'mlp', 'identity'];

/** Arguments of {@link TaskTransmitter}. */
export interface TaskTransmitterArgs extends Partial<TaskBlockArgs> {
  /** The target task; its own representation `<task>` feeds the gate. */
  task: string;
  /** The kind of transmitter. Default `gated-mlp`. */
  kind?: TransmitterKind;
  /**
   * Record key of the router's output F_i. Default `routed:<task>`. Set it to `<task>` when there is no router
   * (the no-router ablation, F_i := f_i); the transmitter then reads one entry.
   */
  routedKey?: string;
  /** Record key written. Default `transmitted:<task>`; `<task>` replaces the representation (no enhancer). */
  outputKey?: string;
  /**
   * Units of the MLP's layers. Default: one layer as wide as the task representation, so that the transmitted
   * knowledge can be added to it. Ignored by `identity`.
   */
  units?: number[];
  /** Activation of the MLP's hidden layers. Default `relu`. */
  activation?: DenseActivation;
  /** Whether the MLP's last layer is activated too. Default false: transmitted knowledge may be negative. */
  activateLast?: boolean;
  /** Dropout after each activated MLP layer, training only. Default 0. */
  dropout?: number;
  /** Initializer seed. Default 0. */
  seed?: number;
}

/**
 * EKTM's transmitter, one per target (CVR) task (arXiv 2605.05730): transforms the knowledge the router
 * integrated for the task before the enhancer fuses it with the task's own representation.
 * Reads `[routed:<task>, <task>]` (or `[<task>]` without a router); writes `transmitted:<task>`.
 */
export class TaskTransmitter extends TaskBlock {
  /** Registered tfjs class name. */
  static readonly className = 'EktmTaskTransmitter';
  /** The target task. */
  readonly task: string;
  /** The kind of transmitter. */
  readonly kind: TransmitterKind;
  /** Record key of F_i. */
  readonly routedKey: string;
  /** Record key written. */
  readonly outputKey: string;
  /** MLP units; unset: one layer as wide as the task representation. */
  readonly units?: number[];
  /** Activation of the MLP. */
  readonly activation: DenseActivation;
  /** Whether the MLP's last layer is activated. */
  readonly activateLast: boolean;
  /** Dropout rate of the MLP, training only. */
  readonly dropout: number;
  /** Initializer seed. */
  readonly seed: number;
  private mlp?: DenseStack;
  private gate?: { kernel: LayerVariable; bias: LayerVariable };

  constructor(args: TaskTransmitterArgs) {
    if (!args || typeof args.task !== 'string' || args.task === '') {
      throw new ConfigError(`transmitter.task: ${JSON.stringify(args?.task)} must be a task name`, 'transmitter.task');
    }
    const task = args.task;
    const routed = args.routedKey ?? `routed:${task}`;
    super({
      ...args,
      inputKeys: args.inputKeys ?? (routed === task ? [task] : [routed, task]),
      outputKeys: args.outputKeys ?? [args.outputKey ?? transmittedKey(task)],
    });
    const where = `transmitter "${task}"`;
    this.task = task;
    this.kind = args.kind ?? 'gated-mlp';
    if (!TRANSMITTER_KINDS.includes(this.kind)) {
      throw new ConfigError(`${where}.kind: "${this.kind}" is not allowed; use ${TRANSMITTER_KINDS.join(', ')}`, `${where}.kind`);
    }
    this.routedKey = routed;
    this.outputKey = this.outputKeys[0]!;
    this.units = args.units ?? undefined;
    if (
      this.units !== undefined &&
      (!Array.isArray(this.units) || this.units.length === 0 || this.units.some((u) => !Number.isInteger(u) || u <= 0))
    ) {
      throw new ConfigError(
        `${where}.units: ${JSON.stringify(args.units)} must be a non-empty array of positive integers`,
        `${where}.units`,
      );
    }
    this.activation = args.activation ?? 'relu';
    if (!DENSE_ACTIVATIONS.includes(this.activation)) {
      throw new ConfigError(
        `${where}.activation: "${this.activation}" is not allowed; use ${DENSE_ACTIVATIONS.join(', ')}`,
        `${where}.activation`,
      );
    }
    this.activateLast = args.activateLast ?? false;
    this.dropout = args.dropout ?? 0;
    if (!(this.dropout >= 0 && this.dropout < 1))
      throw new ConfigError(`${where}.dropout: ${args.dropout} must be in [0, 1)`, `${where}.dropout`);
    this.seed = args.seed ?? 0;
  }

  /** Whether F_i and f_i are one input (no router). */
  private get sharedInput(): boolean {
    return this.inputKeys.length === 1;
  }

  protected override buildBlock(inputShapes: Shape[]): void {
    if (this.kind === 'identity') return;
    const routedWidth = lastDim(inputShapes[0]!);
    const taskWidth = lastDim(inputShapes[this.sharedInput ? 0 : 1]!);
    const units = this.units ?? [taskWidth];
    const seeds = new SeedSequence(this.seed);
    this.mlp = new DenseStack(
      { units, activation: this.activation, activateLast: this.activateLast, dropout: this.dropout },
      this.weightFactory(),
      'mlp',
      routedWidth,
      seeds.next(),
    );
    if (this.kind === 'gated-mlp') {
      const out = units[units.length - 1]!;
      this.gate = {
        kernel: this.addWeight(
          'gate/kernel',
          [routedWidth + taskWidth, out],
          'float32',
          initializers.glorotUniform({ seed: seeds.next() }),
        ),
        bias: this.addWeight('gate/bias', [out], 'float32', initializers.zeros()),
      };
    }
  }

  protected override callBlock(inputs: tf.Tensor[], training: boolean): tf.Tensor[] {
    const routed = inputs[0]!;
    if (this.kind === 'identity') return [routed];
    const knowledge = this.mlp!.apply(routed, training);
    if (this.kind === 'mlp') return [knowledge];
    const own = inputs[this.sharedInput ? 0 : 1]!;
    const gate = denseFused(tf.concat([routed, own], -1), this.gate!.kernel.read(), this.gate!.bias.read(), 'sigmoid');
    return [tf.mul(gate, knowledge)];
  }

  protected override blockOutputShapes(inputShapes: Shape[]): Shape[] {
    const routed = inputShapes[0]!;
    if (this.kind === 'identity') return [routed];
    const taskWidth = lastDim(inputShapes[this.sharedInput ? 0 : 1]!);
    const units = this.units ?? [taskWidth];
    return [[routed[0] ?? null, units[units.length - 1]!]];
  }

  /** Serializable options, for `fromConfig` and saved models. */
  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      task: this.task,
      kind: this.kind,
      routedKey: this.routedKey,
      outputKey: this.outputKey,
      units: this.units ?? null,
      activation: this.activation,
      activateLast: this.activateLast,
      dropout: this.dropout,
      seed: this.seed,
    };
  }
}
serialization.registerClass(TaskTransmitter);

function lastDim(shape: Shape): number {
  return shape[shape.length - 1] as number;
}
