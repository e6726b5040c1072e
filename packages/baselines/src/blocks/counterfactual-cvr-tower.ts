import * as tf from '@tensorflow/tfjs-core';
import { serialization } from '@tensorflow/tfjs-core';
import {
  DenseStack,
  probKey,
  SeedSequence,
  TaskBlock,
  validateDenseStackOptions,
  type ConfigDict,
  type ConfigValue,
  type DenseStackOptions,
  type LossTermSpec,
  type Shape,
  type TaskBlockArgs,
} from '@ektm/core';
import { ESCM2_DEFAULT_MIN_PROPENSITY, ESCM2_DR_KIND, ESCM2_IMPUTATION_KIND, ESCM2_IPW_KIND } from '../losses/escm2-losses.js';
import { nonNegative } from '../util/task-list.js';
import { ConfigError } from '@ektm/core';

/** ESCM2's counterfactual regulariser: inverse propensity weighting or the doubly robust estimator. */
export type Counterfactual = 'ipw' | 'dr';
/** Every allowed {@link Counterfactual}. */
export const COUNTERFACTUALS: readonly Counterfactual[] = ['ipw', 'dr'];

/** Default weight of the counterfactual CVR loss (PaddleRec's `counterfactual_w` fallback). */
export const ESCM2_DEFAULT_COUNTERFACTUAL_WEIGHT = 0.5;

/** Key of the imputation head's output of a CVR task: `prob:<task>/imputation`. */
export function imputationKey(task: string): string {
  return probKey(`${task}/imputation`);
}

/** Arguments of {@link CounterfactualCvrTower}. */
export interface CounterfactualCvrTowerArgs extends Partial<TaskBlockArgs> {
  /** The CVR task (clicked space); the tower reads `<task>` and writes `prob:<task>`. */
  task: string;
  /** The CTR task whose probability is the propensity. */
  clickTask: string;
  /** `ipw` (default) or `dr` (adds an imputation head `prob:<task>/imputation`). */
  counterfactual?: Counterfactual;
  /** Hidden layers of the CVR tower (and of the imputation tower). Default `{ units: [64] }`. */
  hidden?: Partial<DenseStackOptions>;
  /** Weight of the counterfactual CVR loss (λ_c). Default 0.5. */
  counterfactualWeight?: number;
  /** Weight of the imputation loss (DR only). Default 1. */
  imputationWeight?: number;
  /** Floor of the propensity before it is inverted, in (0, 1]. Default 0.05. */
  minPropensity?: number;
  /** Initializer seed. Default 0. */
  seed?: number;
}

/**
 * The CVR tower of ESCM2 (Wang et al., "ESCM²: Entire Space Counterfactual Multi-Task Model for Post-Click
 * Conversion Rate Estimation", SIGIR 2022) with its counterfactual regulariser: an ordinary tower and sigmoid head
 * for the CVR task, whose loss is the inverse-propensity-weighted (`escm2-ipw`) or doubly robust (`escm2-dr`, with
 * an imputation head trained by `escm2-imputation`) estimate of the CVR loss over the entire impression space, the
 * propensity being the model's own pCTR. It replaces the plain tower of the CVR task; give the CVR task weight 0
 * so that the biased clicked-space loss is not added too. Reads `<task>`; writes `prob:<task>` (and
 * `prob:<task>/imputation` for DR).
 */
export class CounterfactualCvrTower extends TaskBlock {
  /** Registered tfjs class name (how a saved model finds this layer again). */
  static readonly className = 'EktmCounterfactualCvrTower';
  /** The CVR task. */
  readonly task: string;
  /** The CTR task whose probability is the propensity. */
  readonly clickTask: string;
  /** The counterfactual regulariser. */
  readonly counterfactual: Counterfactual;
  /** Hidden layers of the CVR (and imputation) tower, defaults filled. */
  readonly hidden: DenseStackOptions;
  /** Weight λ_c of the counterfactual CVR loss. */
  readonly counterfactualWeight: number;
  /** Weight of the imputation loss (DR). */
  readonly imputationWeight: number;
  /** Floor of the propensity before it is inverted. */
  readonly minPropensity: number;
  /** Initializer seed. */
  readonly seed: number;
  private tower?: DenseStack;
  private imputation?: DenseStack;

  constructor(args: CounterfactualCvrTowerArgs) {
    if (typeof args?.task !== 'string' || !args.task) throw new ConfigError('escm2.task: the CVR task name is required', 'escm2.task');
    if (typeof args.clickTask !== 'string' || !args.clickTask || args.clickTask === args.task) {
      throw new ConfigError(
        `escm2.clickTask: ${JSON.stringify(args.clickTask)} must name the CTR task (not the CVR task)`,
        'escm2.clickTask',
      );
    }
    const counterfactual = args.counterfactual ?? 'ipw';
    if (!COUNTERFACTUALS.includes(counterfactual)) {
      throw new ConfigError(
        `escm2.counterfactual: "${counterfactual}" is not allowed; use ${COUNTERFACTUALS.join(' or ')}`,
        'escm2.counterfactual',
      );
    }
    super({
      ...args,
      inputKeys: args.inputKeys ?? [args.task],
      outputKeys: args.outputKeys ?? (counterfactual === 'dr' ? [probKey(args.task), imputationKey(args.task)] : [probKey(args.task)]),
    });
    this.task = args.task;
    this.clickTask = args.clickTask;
    this.counterfactual = counterfactual;
    this.hidden = { units: [64], ...args.hidden };
    validateDenseStackOptions({ ...this.hidden, units: this.hidden.units.length ? this.hidden.units : [1] }, 'escm2.hidden');
    this.counterfactualWeight = nonNegative(args.counterfactualWeight, ESCM2_DEFAULT_COUNTERFACTUAL_WEIGHT, 'escm2.counterfactualWeight');
    this.imputationWeight = nonNegative(args.imputationWeight, 1, 'escm2.imputationWeight');
    this.minPropensity = args.minPropensity ?? ESCM2_DEFAULT_MIN_PROPENSITY;
    if (!(this.minPropensity > 0 && this.minPropensity <= 1))
      throw new ConfigError(`escm2.minPropensity: ${args.minPropensity} must be in (0, 1]`, 'escm2.minPropensity');
    this.seed = args.seed ?? 0;
  }

  protected override buildBlock(inputShapes: Shape[]): void {
    const inputDim = inputShapes[0]![inputShapes[0]!.length - 1] as number;
    const seeds = new SeedSequence(this.seed);
    const head = { ...this.hidden, units: [...this.hidden.units, 1], activateLast: false };
    this.tower = new DenseStack(head, this.weightFactory(), 'cvr', inputDim, seeds.next());
    if (this.counterfactual === 'dr') this.imputation = new DenseStack(head, this.weightFactory(), 'imputation', inputDim, seeds.next());
  }

  protected override callBlock(inputs: tf.Tensor[], training: boolean): tf.Tensor[] {
    const x = inputs[0]!;
    const cvr = tf.sigmoid(this.tower!.apply(x, training));
    return this.imputation ? [cvr, tf.sigmoid(this.imputation.apply(x, training))] : [cvr];
  }

  protected override blockOutputShapes(inputShapes: Shape[]): Shape[] {
    return this.outputKeys.map((): Shape => [inputShapes[0]![0] ?? null, 1]);
  }

  /** The counterfactual CVR loss (and for DR the imputation loss). */
  override lossTerms(): LossTermSpec[] {
    const options = { minPropensity: this.minPropensity };
    const cvr = probKey(this.task);
    const click = probKey(this.clickTask);
    if (this.counterfactual === 'ipw') {
      if (this.counterfactualWeight === 0) return [];
      return [
        {
          name: `${this.task}/ipw`,
          kind: ESCM2_IPW_KIND,
          outputs: [cvr, click],
          task: this.task,
          weight: this.counterfactualWeight,
          role: 'auxiliary',
          options,
        },
      ];
    }
    const outputs = [cvr, click, imputationKey(this.task)];
    return [
      {
        name: `${this.task}/dr`,
        kind: ESCM2_DR_KIND,
        outputs,
        task: this.task,
        weight: this.counterfactualWeight,
        role: 'auxiliary',
        options,
      },
      {
        name: `${this.task}/imputation`,
        kind: ESCM2_IMPUTATION_KIND,
        outputs,
        task: this.task,
        weight: this.imputationWeight,
        role: 'auxiliary',
        options,
      },
    ].filter((term) => term.weight > 0) as LossTermSpec[];
  }

  /** The constructor arguments as a JSON config (tfjs serialization). */
  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      task: this.task,
      clickTask: this.clickTask,
      counterfactual: this.counterfactual,
      hidden: this.hidden as unknown as ConfigValue,
      counterfactualWeight: this.counterfactualWeight,
      imputationWeight: this.imputationWeight,
      minPropensity: this.minPropensity,
      seed: this.seed,
    };
  }
}
serialization.registerClass(CounterfactualCvrTower);
