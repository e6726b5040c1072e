import * as tf from '@tensorflow/tfjs-core';
import { serialization } from '@tensorflow/tfjs-core';
import { initializers, type LayerVariable } from '@tensorflow/tfjs-layers';
import { diagKey, probKey, SeedSequence, TaskBlock, type ConfigDict, type LossTermSpec, type Shape, type TaskBlockArgs } from '@ektm/core';
import { AITM_CALIBRATOR_KIND } from '../losses/aitm-calibrator.js';
import { nonNegative, validateTaskNames } from '../util/task-list.js';
import { ConfigError } from '@ektm/core';

/** Default diagnostic name of the attention weights (written as `diag:aitm/attention`). */
export const AITM_ATTENTION_DIAGNOSTIC = 'aitm/attention';

/** Default weight of the behavioural expectation calibrator, as in the paper's code and PaddleRec. */
export const AITM_DEFAULT_CALIBRATOR_WEIGHT = 0.6;

/** Arguments of {@link AitmTransfer}. */
export interface AitmTransferArgs extends Partial<TaskBlockArgs> {
  /** The tasks of the funnel in order (e.g. `['click', 'purchase']`); at least two. */
  chain: string[];
  /** Dropout after the transfer (info) layer, in training only. Default 0 (the paper's code: the tower's last rate). */
  dropout?: number;
  /**
   * Weight of the behavioural expectation calibrator between every consecutive pair (`aitm-calibrator`); 0 adds
   * no calibrator term. Default 0.6. Use 0 for a chain that is not a funnel (where p_k ≤ p_{k−1} does not hold).
   */
  calibratorWeight?: number;
  /** Diagnostic name of the attention weights (`diag:<name>`). Default `aitm/attention`. */
  diagnostic?: string;
  /** Initializer seed. Default 0. */
  seed?: number;
}

interface TransferWeights {
  infoKernel: LayerVariable;
  infoBias: LayerVariable;
  query: LayerVariable;
  key: LayerVariable;
  value: LayerVariable;
}

/**
 * AITM's adaptive information transfer (Xi et al., "Modeling the Sequential Dependence among Audience Multi-step
 * Conversions with Multi-task Learning in Targeted Display Advertising", KDD 2021). For a funnel t_1 → t_2 → …,
 * task k's representation z_k combines what task k−1 learnt, transferred through a dense layer,
 * p_{k−1} = relu(W z_{k−1} + b), with its own tower output q_k, by attention over the two:
 *
 *     w_u = softmax_u( ⟨W_Q u, W_K u⟩ / √d ),  u ∈ {q_k, p_{k−1}};   z_k = Σ_u w_u · W_V u;   z_1 = q_1
 *
 * (each item's query meets its own key, as in the paper and its code). Reads the chain's representations
 * `[B, d]` (all of one width d); writes the new ones under the same keys, then `diag:aitm/attention`
 * `[B, T − 1, 2]` (per transfer: the weight of the task's own representation, then of the transferred one).
 * Contributes the behavioural expectation calibrator (`aitm-calibrator`) between consecutive tasks.
 */
export class AitmTransfer extends TaskBlock {
  /** Registered tfjs class name (how a saved model finds this layer again). */
  static readonly className = 'EktmAitmTransfer';
  /** The funnel, in order. */
  readonly chain: string[];
  /** Dropout after each transfer layer. */
  readonly dropout: number;
  /** Weight of the calibrator terms (0: none). */
  readonly calibratorWeight: number;
  /** Diagnostic name of the weights output (`diag:<name>`). */
  readonly diagnostic: string;
  /** Initializer seed. */
  readonly seed: number;
  private transfers: TransferWeights[] = [];
  private dropoutCalls = 0;

  constructor(args: AitmTransferArgs) {
    const chain = validateTaskNames(args?.chain, 'aitm.chain', 2);
    const diagnostic = args.diagnostic ?? AITM_ATTENTION_DIAGNOSTIC;
    super({ ...args, inputKeys: args.inputKeys ?? chain, outputKeys: args.outputKeys ?? [...chain, diagKey(diagnostic)] });
    this.chain = chain;
    this.dropout = nonNegative(args.dropout, 0, 'aitm.dropout');
    if (this.dropout >= 1) throw new ConfigError(`aitm.dropout: ${args.dropout} must be in [0, 1)`, 'aitm.dropout');
    this.calibratorWeight = nonNegative(args.calibratorWeight, AITM_DEFAULT_CALIBRATOR_WEIGHT, 'aitm.calibratorWeight');
    this.diagnostic = diagnostic;
    this.seed = args.seed ?? 0;
    if (this.inputKeys.length !== chain.length || this.outputKeys.length !== chain.length + 1) {
      throw new ConfigError('aitm: inputKeys must list the chain, outputKeys the chain then the diagnostic', 'aitm');
    }
  }

  protected override buildBlock(inputShapes: Shape[]): void {
    const widths = inputShapes.map((s) => s[s.length - 1] as number);
    if (new Set(widths).size > 1) {
      throw new ConfigError(
        `aitm: the chain's representations must have one width; got ${this.chain.map((t, i) => `${t}: ${widths[i]}`).join(', ')}`,
        'aitm',
      );
    }
    const d = widths[0]!;
    const seeds = new SeedSequence(this.seed);
    const glorot = () => initializers.glorotUniform({ seed: seeds.next() });
    this.transfers = this.chain.slice(1).map((_, k) => ({
      infoKernel: this.addWeight(`transfer${k}/info/kernel`, [d, d], 'float32', glorot()),
      infoBias: this.addWeight(`transfer${k}/info/bias`, [d], 'float32', initializers.zeros()),
      query: this.addWeight(`transfer${k}/query`, [d, d], 'float32', glorot()),
      key: this.addWeight(`transfer${k}/key`, [d, d], 'float32', glorot()),
      value: this.addWeight(`transfer${k}/value`, [d, d], 'float32', glorot()),
    }));
  }

  protected override callBlock(inputs: tf.Tensor[], training: boolean): tf.Tensor[] {
    const d = inputs[0]!.shape[1]!;
    if (training && this.dropout > 0) this.dropoutCalls++;
    const outputs: tf.Tensor[] = [inputs[0]!];
    const weights: tf.Tensor[] = [];
    this.transfers.forEach((w, k) => {
      let info = tf.relu(tf.add(tf.matMul(outputs[k] as tf.Tensor2D, w.infoKernel.read() as tf.Tensor2D), w.infoBias.read()));
      if (training && this.dropout > 0) info = tf.dropout(info, this.dropout, undefined, (this.seed + this.dropoutCalls * 7919 + k) >>> 0);
      const items = tf.reshape(tf.stack([inputs[k + 1]!, info], 1), [-1, d]); // [B·2, d]: own, transferred
      const project = (m: LayerVariable) => tf.reshape(tf.matMul(items as tf.Tensor2D, m.read() as tf.Tensor2D), [-1, 2, d]);
      const [q, key, v] = [project(w.query), project(w.key), project(w.value)];
      const attention = tf.softmax(tf.div(tf.sum(tf.mul(q, key), -1), Math.sqrt(d)), -1); // [B, 2]
      outputs.push(tf.sum(tf.mul(tf.expandDims(attention, -1), v), 1));
      weights.push(attention);
    });
    return [...outputs, tf.stack(weights, 1)];
  }

  protected override blockOutputShapes(inputShapes: Shape[]): Shape[] {
    const batch = inputShapes[0]![0] ?? null;
    return [...inputShapes.map((s): Shape => [batch, s[s.length - 1]!]), [batch, this.chain.length - 1, 2]];
  }

  /** The calibrator between every consecutive pair of the chain (none when its weight is 0). */
  override lossTerms(): LossTermSpec[] {
    if (this.calibratorWeight === 0) return [];
    return this.chain.slice(1).map((task, k) => ({
      name: `${task}/calibrator`,
      kind: AITM_CALIBRATOR_KIND,
      outputs: [probKey(this.chain[k]!), probKey(task)],
      task,
      weight: this.calibratorWeight,
      role: 'auxiliary',
    }));
  }

  /** The constructor arguments as a JSON config (tfjs serialization). */
  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      chain: this.chain,
      dropout: this.dropout,
      calibratorWeight: this.calibratorWeight,
      diagnostic: this.diagnostic,
      seed: this.seed,
    };
  }
}
serialization.registerClass(AitmTransfer);
