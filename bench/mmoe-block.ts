/**
 * The MMoE backbone of the throughput benchmark (Ma et al., 2018): experts over `$input`, one softmax gate per
 * task mixing them: `$input → {task: [B, d]}` plus `diag:gates` `[B, T, E]`.
 *
 * A stand-in written for profiling while `@ektm/baselines`' MMoE is being finished; the benchmark switches to
 * that block when it exists (`loadMMoE` in throughput.ts). Same maths as ../../shared/bench/torch_mmoe.py.
 */
import * as tf from '@tensorflow/tfjs-core';
import { serialization } from '@tensorflow/tfjs-core';
import { DenseStack, INPUT_KEY, TaskBlock, diagKey, type TaskBlockArgs } from '@ektm/core';

/** Arguments of {@link BenchMMoE}. */
export interface BenchMMoEArgs extends Partial<TaskBlockArgs> {
  /** Tasks that each get a gate and a representation. */
  tasks: string[];
  /** Number of experts. Default 4. */
  experts?: number;
  /** Hidden units of every expert. Default [256, 128]. */
  expertUnits?: number[];
  /** Initializer seed. Default 0. */
  seed?: number;
}

/** MMoE with experts and gates as `DenseStack`s on this layer. */
export class BenchMMoE extends TaskBlock {
  static readonly className = 'EktmBenchMMoE';
  readonly tasks: string[];
  readonly experts: number;
  readonly expertUnits: number[];
  readonly seed: number;
  private expertStacks: DenseStack[] = [];
  private gateStacks: DenseStack[] = [];

  constructor(args: BenchMMoEArgs) {
    super({ ...args, inputKeys: args.inputKeys ?? [INPUT_KEY], outputKeys: args.outputKeys ?? [...args.tasks, diagKey('gates')] });
    this.tasks = [...args.tasks];
    this.experts = args.experts ?? 4;
    this.expertUnits = [...(args.expertUnits ?? [256, 128])];
    this.seed = args.seed ?? 0;
  }

  protected override buildBlock(inputShapes: (number | null)[][]): void {
    const inputDim = inputShapes[0]![1] as number;
    const make = this.weightFactory();
    this.expertStacks = Array.from({ length: this.experts }, (_, e) =>
      new DenseStack({ units: this.expertUnits }, make, `expert${e}/dense`, inputDim, this.seed + 101 * e));
    this.gateStacks = this.tasks.map((_, t) =>
      new DenseStack({ units: [this.experts], activateLast: false }, make, `gate${t}/dense`, inputDim, this.seed + 7919 + 31 * t));
  }

  protected override callBlock(inputs: tf.Tensor[], training: boolean): tf.Tensor[] {
    const x = inputs[0]!;
    const stacked = tf.stack(this.expertStacks.map((s) => s.apply(x, training)), 1); // [B, E, d]
    const gates = this.gateStacks.map((g) => tf.softmax(g.apply(x, training))); // [B, E] each
    const mixed = gates.map((g) => tf.sum(tf.mul(tf.expandDims(g, 2), stacked), 1));
    return [...mixed, tf.stack(gates, 1)];
  }

  protected override blockOutputShapes(inputShapes: (number | null)[][]): (number | null)[][] {
    const b = inputShapes[0]![0] ?? null;
    const d = this.expertUnits[this.expertUnits.length - 1]!;
    return [...this.tasks.map(() => [b, d]), [b, this.tasks.length, this.experts]];
  }

  override getConfig(): serialization.ConfigDict {
    return { ...super.getConfig(), tasks: this.tasks, experts: this.experts, expertUnits: this.expertUnits, seed: this.seed };
  }
}
serialization.registerClass(BenchMMoE);
