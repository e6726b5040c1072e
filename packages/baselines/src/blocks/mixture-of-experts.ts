import * as tf from '@tensorflow/tfjs-core';
import { serialization } from '@tensorflow/tfjs-core';
import { initializers, type LayerVariable } from '@tensorflow/tfjs-layers';
import { diagKey, INPUT_KEY, SeedSequence, TaskBlock, type ConfigDict, type ConfigValue, type Shape, type TaskBlockArgs } from '@ektm/core';
import { BatchedExperts, validateExpertOptions, type ExpertOptions } from '../experts/batched-experts.js';
import { mixExperts, softmaxGates, unstackSlots, validateTemperature } from '../experts/gating.js';
import { positiveInteger, validateTaskNames } from '../util/task-list.js';
import { ConfigError } from '@ektm/core';

/** How the experts are gated: one softmax gate per task (MMoE) or one gate shared by every task (OMoE). */
export type MoeGating = 'per-task' | 'shared';
/** Every allowed {@link MoeGating}. */
export const MOE_GATINGS: readonly MoeGating[] = ['per-task', 'shared'];

/** Default diagnostic name of the gate weights (written as `diag:mmoe/gates`). */
export const MOE_GATES_DIAGNOSTIC = 'mmoe/gates';

/** Arguments of {@link MixtureOfExperts}. */
export interface MixtureOfExpertsArgs extends Partial<TaskBlockArgs> {
  /** Tasks; each receives its gated mixture of the experts. */
  tasks: string[];
  /** Number of experts. Default 4. */
  experts?: number;
  /** The network of each expert. Default `{ units: [64] }`. */
  expert?: ExpertOptions;
  /** `per-task` (MMoE, default) or `shared` (OMoE: one gate, the same mixture for every task). */
  gating?: MoeGating;
  /** Softmax temperature of the gates (> 0): `softmax(logits / temperature)`. Default 1. */
  gateTemperature?: number;
  /** Diagnostic name of the gate weights (`diag:<name>`). Default `mmoe/gates`. */
  diagnostic?: string;
  /** Initializer seed. Default 0. */
  seed?: number;
}

/**
 * Mixture of experts: MMoE (Ma et al., "Modeling Task Relationships in Multi-task Learning with Multi-gate
 * Mixture-of-Experts", KDD 2018) with one softmax gate per task, or OMoE (the same paper's one-gate baseline).
 * For task t with gate g_t(x) = softmax(W_t x + b_t) over E experts f_e:
 *
 *     h_t = Σ_e g_t(x)_e · f_e(x)
 *
 * The E experts run as one batched computation and all gates as one matMul. Reads `$input`; writes one
 * representation `[B, d]` per task, then `diag:mmoe/gates` `[B, G, E]` (G = tasks, or 1 with a shared gate), whose
 * batch mean `MultiTaskModel.predict` reports as the mean gate weight of each task and expert.
 */
export class MixtureOfExperts extends TaskBlock {
  /** Registered tfjs class name (how a saved model finds this layer again). */
  static readonly className = 'EktmMixtureOfExperts';
  /** Tasks written, in order. */
  readonly tasks: string[];
  /** Number of experts. */
  readonly experts: number;
  /** The network of each expert, defaults filled. */
  readonly expert: ExpertOptions;
  /** Per-task gates (MMoE) or one shared gate (OMoE). */
  readonly gating: MoeGating;
  /** Softmax temperature of the gates. */
  readonly gateTemperature: number;
  /** Diagnostic name of the weights output (`diag:<name>`). */
  readonly diagnostic: string;
  /** Initializer seed. */
  readonly seed: number;
  private network?: BatchedExperts;
  private gateKernel?: LayerVariable;
  private gateBias?: LayerVariable;

  constructor(args: MixtureOfExpertsArgs) {
    const tasks = validateTaskNames(args?.tasks, 'moe.tasks');
    const diagnostic = args.diagnostic ?? MOE_GATES_DIAGNOSTIC;
    super({ ...args, inputKeys: args.inputKeys ?? [INPUT_KEY], outputKeys: args.outputKeys ?? [...tasks, diagKey(diagnostic)] });
    this.tasks = tasks;
    this.experts = positiveInteger(args.experts, 4, 'moe.experts');
    this.expert = { units: [64], ...args.expert };
    validateExpertOptions(this.expert, 'moe.expert');
    this.gating = args.gating ?? 'per-task';
    if (!MOE_GATINGS.includes(this.gating))
      throw new ConfigError(`moe.gating: "${this.gating}" is not allowed; use ${MOE_GATINGS.join(' or ')}`, 'moe.gating');
    this.gateTemperature = validateTemperature(args.gateTemperature ?? 1, 'moe.gateTemperature');
    this.diagnostic = diagnostic;
    this.seed = args.seed ?? 0;
    if (this.outputKeys.length !== tasks.length + 1)
      throw new ConfigError('moe: outputKeys must list every task then the diagnostic', 'moe');
  }

  /** Number of gates: one per task (MMoE) or one (OMoE). */
  get gateCount(): number {
    return this.gating === 'per-task' ? this.tasks.length : 1;
  }

  protected override buildBlock(inputShapes: Shape[]): void {
    const inputDim = inputShapes[0]![1] as number;
    const seeds = new SeedSequence(this.seed);
    this.network = new BatchedExperts(this.expert, this.weightFactory(), 'expert', this.experts, inputDim, seeds.next());
    const width = this.gateCount * this.experts;
    this.gateKernel = this.addWeight('gate/kernel', [inputDim, width], 'float32', initializers.glorotUniform({ seed: seeds.next() }));
    this.gateBias = this.addWeight('gate/bias', [width], 'float32', initializers.zeros());
  }

  protected override callBlock(inputs: tf.Tensor[], training: boolean): tf.Tensor[] {
    const x = inputs[0]!;
    const experts = this.network!.applyShared(x, training); // [B, E, d]
    const logits = tf.add(tf.matMul(x as tf.Tensor2D, this.gateKernel!.read() as tf.Tensor2D), this.gateBias!.read());
    const gates = softmaxGates(logits, this.gateCount, this.experts, this.gateTemperature); // [B, G, E]
    const mixed = unstackSlots(mixExperts(gates, experts));
    const perTask = this.gating === 'per-task' ? mixed : this.tasks.map(() => mixed[0]!);
    return [...perTask, gates];
  }

  protected override blockOutputShapes(inputShapes: Shape[]): Shape[] {
    const batch = inputShapes[0]![0] ?? null;
    const width = this.expert.units[this.expert.units.length - 1]!;
    return [...this.tasks.map((): Shape => [batch, width]), [batch, this.gateCount, this.experts]];
  }

  /** The constructor arguments as a JSON config (tfjs serialization). */
  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      tasks: this.tasks,
      experts: this.experts,
      expert: this.expert as unknown as ConfigValue,
      gating: this.gating,
      gateTemperature: this.gateTemperature,
      diagnostic: this.diagnostic,
      seed: this.seed,
    };
  }
}
serialization.registerClass(MixtureOfExperts);
