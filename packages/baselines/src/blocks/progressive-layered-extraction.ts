import * as tf from '@tensorflow/tfjs-core';
import { serialization } from '@tensorflow/tfjs-core';
import { initializers, type LayerVariable } from '@tensorflow/tfjs-layers';
import {
  denseFused,
  diagKey,
  INPUT_KEY,
  SeedSequence,
  TaskBlock,
  type ConfigDict,
  type ConfigValue,
  type Shape,
  type TaskBlockArgs,
} from '@ektm/core';
import { BatchedExperts, validateExpertOptions, type ExpertOptions } from '../experts/batched-experts.js';
import { mixExperts, softmaxGates, unstackSlots, validateTemperature } from '../experts/gating.js';
import { positiveInteger, validateTaskNames } from '../util/task-list.js';
import { ConfigError } from '@ektm/core';

/** Default diagnostic name of the last level's task gates (written as `diag:ple/gates`). */
export const PLE_GATES_DIAGNOSTIC = 'ple/gates';

/** Arguments of {@link ProgressiveLayeredExtraction}. */
export interface ProgressiveLayeredExtractionArgs extends Partial<TaskBlockArgs> {
  /** Tasks; each owns `taskExperts` experts per level and receives its gated mixture of the last level. */
  tasks: string[];
  /** Extraction levels; 1 is CGC (Customized Gate Control). Default: the length of `levelUnits` when given, else 2. */
  levels?: number;
  /** Shared experts per level. Default 2. */
  sharedExperts?: number;
  /** Experts of each task per level. Default 2. */
  taskExperts?: number;
  /** The network of each expert (every level; `levelUnits` overrides its `units`). Default `{ units: [64] }`. */
  expert?: ExpertOptions;
  /**
   * The layer units of the experts of each level, one list per level (e.g. `[[256], [128]]`: level 1's experts one
   * layer of 256, level 2's one of 128, as MTReclib's PLE gives each level its own width), replacing `expert.units`;
   * `expert` still gives the activation and dropout. Its length is the number of levels. Default: `expert.units` at
   * every level.
   */
  levelUnits?: number[][];
  /** Softmax temperature of every gate (> 0). Default 1. */
  gateTemperature?: number;
  /** Diagnostic name of the last level's task gates (`diag:<name>`). Default `ple/gates`. */
  diagnostic?: string;
  /** Initializer seed. Default 0. */
  seed?: number;
}

interface LevelWeights {
  experts: BatchedExperts;
  /** One gate per task, then (non-final levels) the shared gate. */
  gates: Array<{ kernel: LayerVariable; bias: LayerVariable }>;
}

/**
 * Progressive Layered Extraction (Tang et al., "Progressive Layered Extraction (PLE): A Novel Multi-Task Learning
 * (MTL) Model for Personalized Recommendations", RecSys 2020). Each level has task-specific experts per task and
 * shared experts. Task t's gate mixes its own and the shared experts from task t's input; at every level but the
 * last a shared gate mixes all experts from the shared input, which becomes the next level's shared input:
 *
 *     h_t^{l} = Σ_j softmax(W_t^l x_t^{l-1})_j · f_j^l(x_{group(j)}^{l-1}),  j ∈ experts(t) ∪ shared
 *
 * with x^0 = `$input` for every group. One level is CGC. All experts of a level run as one batched
 * computation (after the first level, one plain product per group for the first layer), the gates of the first
 * level as one product, and every gate's mixture of a level as one batched product over all the level's experts
 * (a task's gate is 0 on the other tasks' experts). Reads `$input`; writes one representation `[B, d]` per task, then `diag:ple/gates`
 * `[B, T, taskExperts + sharedExperts]` (the last level's task gates, own experts first).
 */
export class ProgressiveLayeredExtraction extends TaskBlock {
  /** Registered tfjs class name (how a saved model finds this layer again). */
  static readonly className = 'EktmProgressiveLayeredExtraction';
  /** Tasks written, in order. */
  readonly tasks: string[];
  /** Extraction levels (1 = CGC). */
  readonly levels: number;
  /** Shared experts per level. */
  readonly sharedExperts: number;
  /** Experts of each task per level. */
  readonly taskExperts: number;
  /** The network of each expert, defaults filled (its `units` are overridden by `levelUnits` when that is set). */
  readonly expert: ExpertOptions;
  /** The layer units of each level's experts, when set; else every level has `expert.units`. */
  readonly levelUnits: number[][] | undefined;
  /** Softmax temperature of the gates. */
  readonly gateTemperature: number;
  /** Diagnostic name of the weights output (`diag:<name>`). */
  readonly diagnostic: string;
  /** Initializer seed. */
  readonly seed: number;
  private levelWeights: LevelWeights[] = [];

  constructor(args: ProgressiveLayeredExtractionArgs) {
    const tasks = validateTaskNames(args?.tasks, 'ple.tasks');
    const diagnostic = args.diagnostic ?? PLE_GATES_DIAGNOSTIC;
    super({ ...args, inputKeys: args.inputKeys ?? [INPUT_KEY], outputKeys: args.outputKeys ?? [...tasks, diagKey(diagnostic)] });
    this.tasks = tasks;
    this.levelUnits = args.levelUnits == null ? undefined : validateLevelUnits(args.levelUnits, args.levels);
    this.levels = positiveInteger(args.levels, this.levelUnits?.length ?? 2, 'ple.levels');
    this.sharedExperts = positiveInteger(args.sharedExperts, 2, 'ple.sharedExperts');
    this.taskExperts = positiveInteger(args.taskExperts, 2, 'ple.taskExperts');
    this.expert = { units: [64], ...args.expert };
    validateExpertOptions(this.expert, 'ple.expert');
    this.levelUnits?.forEach((units, level) => validateExpertOptions({ ...this.expert, units }, `ple.levelUnits[${level}]`));
    this.gateTemperature = validateTemperature(args.gateTemperature ?? 1, 'ple.gateTemperature');
    this.diagnostic = diagnostic;
    this.seed = args.seed ?? 0;
    if (this.outputKeys.length !== tasks.length + 1)
      throw new ConfigError('ple: outputKeys must list every task then the diagnostic', 'ple');
  }

  /** The network of the experts of one level (0-based): `expert` with that level's units. */
  levelExpert(level: number): ExpertOptions {
    return this.levelUnits ? { ...this.expert, units: this.levelUnits[level]! } : this.expert;
  }

  /** Width of the experts' output of one level (0-based): the last of its units. */
  levelWidth(level: number): number {
    const units = this.levelExpert(level).units;
    return units[units.length - 1]!;
  }

  /** Experts of one level: every task's own, in task order, then the shared ones. */
  private get expertsPerLevel(): number {
    return this.tasks.length * this.taskExperts + this.sharedExperts;
  }

  protected override buildBlock(inputShapes: Shape[]): void {
    const seeds = new SeedSequence(this.seed);
    let inputDim = inputShapes[0]![1] as number;
    this.levelWeights = [];
    for (let level = 0; level < this.levels; level++) {
      const experts = new BatchedExperts(
        this.levelExpert(level),
        this.weightFactory(),
        `level${level}/expert`,
        this.expertsPerLevel,
        inputDim,
        seeds.next(),
      );
      const gateSizes = this.tasks.map(() => this.taskExperts + this.sharedExperts);
      if (level < this.levels - 1) gateSizes.push(this.expertsPerLevel);
      const gates = gateSizes.map((size, g) => ({
        kernel: this.addWeight(
          `level${level}/gate${g}/kernel`,
          [inputDim, size],
          'float32',
          initializers.glorotUniform({ seed: seeds.next() }),
        ),
        bias: this.addWeight(`level${level}/gate${g}/bias`, [size], 'float32', initializers.zeros()),
      }));
      this.levelWeights.push({ experts, gates });
      inputDim = this.levelWidth(level);
    }
  }

  protected override callBlock(inputs: tf.Tensor[], training: boolean): tf.Tensor[] {
    const t = this.tasks.length;
    const own = this.taskExperts + this.sharedExperts;
    const all = this.expertsPerLevel;
    const selection = this.taskGateSelection();
    let taskInputs: tf.Tensor[] = this.tasks.map(() => inputs[0]!);
    let sharedInput: tf.Tensor = inputs[0]!;
    let lastGates: tf.Tensor | undefined;
    this.levelWeights.forEach((level, l) => {
      const final = l === this.levels - 1;
      // [B, E, d]. Expert j of a level reads the input of its group: task ⌊j / taskExperts⌋, or the shared group.
      const experts =
        l === 0
          ? level.experts.applyShared(sharedInput, training)
          : level.experts.applyGrouped(
              [...taskInputs, sharedInput],
              [...this.tasks.map(() => this.taskExperts), this.sharedExperts],
              training,
            );
      const gateCount = final ? t : t + 1;
      let taskLogits: tf.Tensor; // [B, T·(taskExperts + sharedExperts)]
      let sharedLogits: tf.Tensor | undefined; // [B, E]
      if (l === 0) {
        // Every gate of the first level reads the block's input: one product for all of them.
        const gates = level.gates.slice(0, gateCount);
        const logits = denseFused(
          sharedInput,
          tf.concat(
            gates.map((g) => g.kernel.read()),
            1,
          ),
          tf.concat(gates.map((g) => g.bias.read())),
          'linear',
        );
        taskLogits = final ? logits : tf.slice(logits, [0, 0], [-1, t * own]);
        if (!final) sharedLogits = tf.slice(logits, [0, t * own], [-1, all]);
      } else {
        const perTask = this.tasks.map((_, i) =>
          denseFused(taskInputs[i]!, level.gates[i]!.kernel.read(), level.gates[i]!.bias.read(), 'linear'),
        );
        taskLogits = perTask.length === 1 ? perTask[0]! : tf.concat(perTask, 1);
        if (!final) sharedLogits = denseFused(sharedInput, level.gates[t]!.kernel.read(), level.gates[t]!.bias.read(), 'linear');
      }
      const taskGates = softmaxGates(taskLogits, t, own, this.gateTemperature); // [B, T, own]
      // Each task's gate over all E experts of the level (0 for the other tasks' experts): an exact 0/1 product.
      let gates: tf.Tensor3D = tf.reshape(tf.matMul(tf.reshape(taskGates, [-1, t * own]) as tf.Tensor2D, selection), [-1, t, all]);
      if (sharedLogits) gates = tf.concat([gates, softmaxGates(sharedLogits, 1, all, this.gateTemperature)], 1);
      // Every task's mixture (and the shared one) as one batched product: [B, T (+1), d].
      const mixed = unstackSlots(mixExperts(gates, experts));
      taskInputs = mixed.slice(0, t);
      if (!final) sharedInput = mixed[t]!;
      lastGates = taskGates;
    });
    return [...taskInputs, lastGates!];
  }

  /**
   * `[T·(taskExperts + sharedExperts), T·E]`, 1 where task i's gate entry j (its own experts, then the shared ones)
   * is expert e of the level: spreads every task gate over all E experts of the level.
   */
  private taskGateSelection(): tf.Tensor2D {
    const t = this.tasks.length;
    const own = this.taskExperts + this.sharedExperts;
    const all = this.expertsPerLevel;
    const values = new Float32Array(t * own * t * all);
    for (let i = 0; i < t; i++) {
      for (let j = 0; j < own; j++) {
        const expert = j < this.taskExperts ? i * this.taskExperts + j : t * this.taskExperts + (j - this.taskExperts);
        values[(i * own + j) * t * all + i * all + expert] = 1;
      }
    }
    return tf.tensor2d(values, [t * own, t * all]);
  }

  protected override blockOutputShapes(inputShapes: Shape[]): Shape[] {
    const batch = inputShapes[0]![0] ?? null;
    const width = this.levelWidth(this.levels - 1);
    return [...this.tasks.map((): Shape => [batch, width]), [batch, this.tasks.length, this.taskExperts + this.sharedExperts]];
  }

  /** The constructor arguments as a JSON config (tfjs serialization). */
  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      tasks: this.tasks,
      levels: this.levels,
      sharedExperts: this.sharedExperts,
      taskExperts: this.taskExperts,
      expert: this.expert as unknown as ConfigValue,
      ...(this.levelUnits ? { levelUnits: this.levelUnits } : {}),
      gateTemperature: this.gateTemperature,
      diagnostic: this.diagnostic,
      seed: this.seed,
    };
  }
}
serialization.registerClass(ProgressiveLayeredExtraction);

/** Checks `levelUnits` (a list per level) and that its length agrees with `levels` when both are given; returns a copy. */
function validateLevelUnits(levelUnits: unknown, levels: number | undefined): number[][] {
  if (!Array.isArray(levelUnits) || levelUnits.length === 0 || levelUnits.some((units) => !Array.isArray(units))) {
    throw new ConfigError(
      `ple.levelUnits: ${JSON.stringify(levelUnits)} must be a non-empty array with one units list per level, e.g. [[256], [128]]`,
      'ple.levelUnits',
    );
  }
  if (levels !== undefined && levels !== levelUnits.length) {
    throw new ConfigError(
      `ple.levelUnits: ${levelUnits.length} units lists for levels = ${levels}; give one list per level (or leave levels out)`,
      'ple.levelUnits',
    );
  }
  return (levelUnits as number[][]).map((units) => [...units]);
}
