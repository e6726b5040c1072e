import * as tf from '@tensorflow/tfjs-core';
import { serialization } from '@tensorflow/tfjs-core';
import { initializers, type LayerVariable } from '@tensorflow/tfjs-layers';
import {
  DENSE_ACTIVATIONS,
  DenseStack,
  denseFused,
  probKey,
  SeedSequence,
  stopGradient,
  TaskBlock,
  type ConfigDict,
  type DenseActivation,
  type LossTermSpec,
  type Shape,
  type TaskBlockArgs,
} from '@ektm/core';
import { ENHANCEMENT_HINGE_KIND, HARD_EXAMPLE_KIND } from './enhancement-losses.js';
import { ConfigError } from '@ektm/core';

/** Name of a task's original (own-representation) head: its output is `prob:<task>/original`. */
export function originalHeadName(task: string): string {
  return `${task}/original`;
}

/**
 * How the enhancer fuses the transmitted knowledge t_i with the task's own representation f_i (the paper
 * does not publish it; this project's reconstruction):
 * - `gated-residual` (default): h = f + g ⊙ t with g = σ(W[f; t] + b): the task keeps its own signal and takes
 *   as much transferred knowledge as helps;
 * - `residual`: h = f + t;
 * - `concat-mlp`: h = MLP([f; t]).
 */
export type EnhancerFusion = 'gated-residual' | 'residual' | 'concat-mlp';

/** Every allowed {@link EnhancerFusion}. */
export const ENHANCER_FUSIONS: readonly EnhancerFusion[] = ['gated-residual', 'residual', 'concat-mlp'];

/**
 * The loss that keeps transfer from hurting the task (with the original head's own BCE):
 * - `hinge` (default): penalise the enhanced prediction where it is worse than the original one
 *   (see `enhancementHinge`);
 * - `hard-example`: weight the enhanced BCE by the original head's error, `(1 − p⁰_true)^γ`
 *   (see `hardExampleLoss`);
 * - `none`: only the original head's BCE (the ablation of the enhancement loss).
 */
export type EnhancementLoss = 'hinge' | 'hard-example' | 'none';

/** Every allowed {@link EnhancementLoss}. */
export const ENHANCEMENT_LOSSES: readonly EnhancementLoss[] = ['hinge', 'hard-example', 'none'];

/** Arguments of {@link TaskEnhancer}. */
export interface TaskEnhancerArgs extends Partial<TaskBlockArgs> {
  /** The target task: reads `<task>` and the transmitted knowledge; writes the fused `<task>` and `prob:<task>/original`. */
  task: string;
  /** Record key of the transmitted knowledge. Default `transmitted:<task>`. */
  transmittedKey?: string;
  /** How knowledge and representation are fused. Default `gated-residual`. */
  fusion?: EnhancerFusion;
  /** Units of the `concat-mlp` fusion (ReLU). Default: one layer as wide as the task representation. */
  fusionUnits?: number[];
  /** Hidden units of the original head before its output unit. Default `[64]` (core's tower default); `[]` is logistic. */
  originalHidden?: number[];
  /** Activation of the original head's hidden layers. Default `relu`. */
  originalActivation?: DenseActivation;
  /** Weight of the original head's BCE term (role `auxiliary`). Default 1: the head must be a good reference. */
  originalWeight?: number;
  /**
   * Whether the original head reads the task's representation under stop-gradient: it is then a pure reference (a
   * probe of what f_i alone predicts) whose loss trains only the head, not the backbone; otherwise its BCE also
   * shapes f_i and, through a shared backbone, every other task's representation. Default false.
   */
  detachOriginal?: boolean;
  /** The enhancement loss. Default `hinge`. */
  enhancement?: EnhancementLoss;
  /** Weight of the enhancement term (role `auxiliary`). Default 1. */
  enhancementWeight?: number;
  /** Focal exponent γ of `hard-example`. Default 2. */
  gamma?: number;
  /** Output key of the enhanced prediction the enhancement loss compares. Default `prob:<task>`. */
  enhancedOutput?: string;
  /** Initializer seed. Default 0. */
  seed?: number;
}

/**
 * EKTM's enhanced module (arXiv 2605.05730), one per target task: fuses the transmitted knowledge into the
 * task's representation, and makes sure the transfer benefits the task: an auxiliary "original" head predicts
 * the task from its own representation f_i alone (trained with its own BCE), and the enhancement loss
 * compares the enhanced prediction (the task's tower on the fused h_i, added after this block) with it.
 *
 * Reads `[<task>, transmitted:<task>]`; writes `[<task>` (the fused h_i), `prob:<task>/original]`; contributes the
 * loss terms `<task>/original` (bce) and `<task>/enhance` (unless `enhancement` is `none`), both on the task's
 * label and sample space.
 */
export class TaskEnhancer extends TaskBlock {
  /** Registered tfjs class name. */
  static readonly className = 'EktmTaskEnhancer';
  /** The target task. */
  readonly task: string;
  /** Record key of the transmitted knowledge. */
  readonly transmittedKey: string;
  /** How knowledge and representation are fused. */
  readonly fusion: EnhancerFusion;
  /** Units of the `concat-mlp` fusion; unset: the task width. */
  readonly fusionUnits?: number[];
  /** Hidden units of the original head. */
  readonly originalHidden: number[];
  /** Activation of the original head. */
  readonly originalActivation: DenseActivation;
  /** Weight of the original head's BCE term. */
  readonly originalWeight: number;
  /** Whether the original head's loss stops at the head (stop-gradient on f_i). */
  readonly detachOriginal: boolean;
  /** The enhancement loss. */
  readonly enhancement: EnhancementLoss;
  /** Weight of the enhancement term. */
  readonly enhancementWeight: number;
  /** Focal exponent of `hard-example`. */
  readonly gamma: number;
  /** Output key of the enhanced prediction. */
  readonly enhancedOutput: string;
  /** Initializer seed. */
  readonly seed: number;
  private gate?: { kernel: LayerVariable; bias: LayerVariable };
  private fusionMlp?: DenseStack;
  private originalHead?: DenseStack;

  constructor(args: TaskEnhancerArgs) {
    if (!args || typeof args.task !== 'string' || args.task === '') {
      throw new ConfigError(`enhancer.task: ${JSON.stringify(args?.task)} must be a task name`, 'enhancer.task');
    }
    const task = args.task;
    const transmitted = args.transmittedKey ?? `transmitted:${task}`;
    super({
      ...args,
      inputKeys: args.inputKeys ?? [task, transmitted],
      outputKeys: args.outputKeys ?? [task, probKey(originalHeadName(task))],
    });
    const where = `enhancer "${task}"`;
    this.task = task;
    this.transmittedKey = transmitted;
    this.fusion = args.fusion ?? 'gated-residual';
    if (!ENHANCER_FUSIONS.includes(this.fusion)) {
      throw new ConfigError(`${where}.fusion: "${this.fusion}" is not allowed; use ${ENHANCER_FUSIONS.join(', ')}`, `${where}.fusion`);
    }
    this.fusionUnits = args.fusionUnits ?? undefined;
    if (this.fusionUnits !== undefined && !isUnits(this.fusionUnits, false)) {
      throw new ConfigError(
        `${where}.fusionUnits: ${JSON.stringify(args.fusionUnits)} must be a non-empty array of positive integers`,
        `${where}.fusionUnits`,
      );
    }
    this.originalHidden = args.originalHidden ?? [64];
    if (!isUnits(this.originalHidden, true)) {
      throw new ConfigError(
        `${where}.originalHidden: ${JSON.stringify(args.originalHidden)} must be an array of positive integers`,
        `${where}.originalHidden`,
      );
    }
    this.originalActivation = args.originalActivation ?? 'relu';
    if (!DENSE_ACTIVATIONS.includes(this.originalActivation)) {
      throw new ConfigError(
        `${where}.originalActivation: "${this.originalActivation}" is not allowed; use ${DENSE_ACTIVATIONS.join(', ')}`,
        `${where}.originalActivation`,
      );
    }
    this.originalWeight = args.originalWeight ?? 1;
    if (!(Number.isFinite(this.originalWeight) && this.originalWeight >= 0)) {
      throw new ConfigError(`${where}.originalWeight: ${args.originalWeight} must be a finite number >= 0`, `${where}.originalWeight`);
    }
    this.detachOriginal = args.detachOriginal ?? false;
    if (typeof this.detachOriginal !== 'boolean')
      throw new ConfigError(
        `${where}.detachOriginal: ${JSON.stringify(args.detachOriginal)} must be true or false`,
        `${where}.detachOriginal`,
      );
    this.enhancement = args.enhancement ?? 'hinge';
    if (!ENHANCEMENT_LOSSES.includes(this.enhancement)) {
      throw new ConfigError(
        `${where}.enhancement: "${this.enhancement}" is not allowed; use ${ENHANCEMENT_LOSSES.join(', ')}`,
        `${where}.enhancement`,
      );
    }
    this.enhancementWeight = args.enhancementWeight ?? 1;
    if (!(Number.isFinite(this.enhancementWeight) && this.enhancementWeight >= 0)) {
      throw new ConfigError(
        `${where}.enhancementWeight: ${args.enhancementWeight} must be a finite number >= 0`,
        `${where}.enhancementWeight`,
      );
    }
    this.gamma = args.gamma ?? 2;
    if (!(Number.isFinite(this.gamma) && this.gamma >= 0))
      throw new ConfigError(`${where}.gamma: ${args.gamma} must be a finite number >= 0`, `${where}.gamma`);
    this.enhancedOutput = args.enhancedOutput ?? probKey(task);
    this.seed = args.seed ?? 0;
  }

  protected override buildBlock(inputShapes: Shape[]): void {
    const ownWidth = lastDim(inputShapes[0]!);
    const knowledgeWidth = lastDim(inputShapes[1]!);
    const seeds = new SeedSequence(this.seed);
    if (this.fusion !== 'concat-mlp' && ownWidth !== knowledgeWidth) {
      throw new ConfigError(
        `enhancer "${this.task}": fusion "${this.fusion}" adds the transmitted knowledge (width ${knowledgeWidth}) to the ` +
          `representation (width ${ownWidth}); make the transmitter's last units ${ownWidth} or use fusion "concat-mlp"`,
        `enhancer "${this.task}"`,
      );
    }
    if (this.fusion === 'gated-residual') {
      this.gate = {
        kernel: this.addWeight(
          'gate/kernel',
          [ownWidth + knowledgeWidth, ownWidth],
          'float32',
          initializers.glorotUniform({ seed: seeds.next() }),
        ),
        bias: this.addWeight('gate/bias', [ownWidth], 'float32', initializers.zeros()),
      };
    } else seeds.next();
    if (this.fusion === 'concat-mlp') {
      this.fusionMlp = new DenseStack(
        { units: this.fusionUnits ?? [ownWidth] },
        this.weightFactory(),
        'fusion',
        ownWidth + knowledgeWidth,
        seeds.next(),
      );
    } else seeds.next();
    this.originalHead = new DenseStack(
      { units: [...this.originalHidden, 1], activation: this.originalActivation, activateLast: false },
      this.weightFactory(),
      'original',
      ownWidth,
      seeds.next(),
    );
  }

  protected override callBlock(inputs: tf.Tensor[], training: boolean): tf.Tensor[] {
    const [own, knowledge] = inputs as [tf.Tensor, tf.Tensor];
    let fused: tf.Tensor;
    if (this.fusion === 'residual') fused = tf.add(own, knowledge);
    else if (this.fusion === 'gated-residual') {
      const gate = denseFused(tf.concat([own, knowledge], -1), this.gate!.kernel.read(), this.gate!.bias.read(), 'sigmoid');
      fused = tf.add(own, tf.mul(gate, knowledge));
    } else fused = this.fusionMlp!.apply(tf.concat([own, knowledge], -1), training);
    const original = tf.sigmoid(this.originalHead!.apply(this.detachOriginal ? stopGradient(own) : own, training));
    return [fused, original];
  }

  protected override blockOutputShapes(inputShapes: Shape[]): Shape[] {
    const batch = inputShapes[0]![0] ?? null;
    const width = this.fusion === 'concat-mlp' ? (this.fusionUnits ?? [lastDim(inputShapes[0]!)]).at(-1)! : lastDim(inputShapes[0]!);
    return [
      [batch, width],
      [batch, 1],
    ];
  }

  /** The original head's BCE and, unless `enhancement` is `none`, the enhancement term. */
  override lossTerms(): LossTermSpec[] {
    const original = probKey(originalHeadName(this.task));
    const terms: LossTermSpec[] = [];
    if (this.originalWeight > 0) {
      terms.push({
        name: originalHeadName(this.task),
        kind: 'bce',
        outputs: [original],
        task: this.task,
        weight: this.originalWeight,
        role: 'auxiliary',
      });
    }
    if (this.enhancement !== 'none' && this.enhancementWeight > 0) {
      terms.push({
        name: `${this.task}/enhance`,
        kind: this.enhancement === 'hinge' ? ENHANCEMENT_HINGE_KIND : HARD_EXAMPLE_KIND,
        outputs: [this.enhancedOutput, original],
        task: this.task,
        weight: this.enhancementWeight,
        role: 'auxiliary',
        ...(this.enhancement === 'hard-example' ? { options: { gamma: this.gamma } } : {}),
      });
    }
    return terms;
  }

  /** Serializable options, for `fromConfig` and saved models. */
  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      task: this.task,
      transmittedKey: this.transmittedKey,
      fusion: this.fusion,
      fusionUnits: this.fusionUnits ?? null,
      originalHidden: this.originalHidden,
      originalActivation: this.originalActivation,
      originalWeight: this.originalWeight,
      detachOriginal: this.detachOriginal,
      enhancement: this.enhancement,
      enhancementWeight: this.enhancementWeight,
      gamma: this.gamma,
      enhancedOutput: this.enhancedOutput,
      seed: this.seed,
    };
  }
}
serialization.registerClass(TaskEnhancer);

function lastDim(shape: Shape): number {
  return shape[shape.length - 1] as number;
}

function isUnits(units: unknown, allowEmpty: boolean): boolean {
  return Array.isArray(units) && (allowEmpty || units.length > 0) && units.every((u) => Number.isInteger(u) && u > 0);
}
