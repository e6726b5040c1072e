import * as tf from '@tensorflow/tfjs-core';
import type { LossTermSpec } from '../tasks/loss-terms.js';
import type { LossWeightingName } from './train-options.js';
import { ConfigError } from '../errors/config-error.js';
import { ModelFileError } from '../errors/model-file-error.js';

/**
 * Combines the raw losses `Lᵢ` of a model's loss terms into the one scalar the optimizer minimises.
 * Strategies are data about terms, never about models: the trainer asks for the total and does not know which
 * term belongs to which block.
 */
export interface LossWeighting {
  /** Which strategy. */
  readonly name: LossWeightingName;
  /** Variables the strategy learns alongside the model (empty for fixed weights). */
  readonly variables: tf.Variable[];
  /** The weighted total of the term losses, in term order. */
  combine(termLosses: readonly tf.Scalar[]): tf.Scalar;
  /** Current values of the learned variables keyed by term name (empty for fixed weights), for logs and checkpoints. */
  state(): Record<string, number>;
  /** Restores values saved by `state()`. */
  restore(values: Readonly<Record<string, number>>): void;
  /** Releases the variables. */
  dispose(): void;
}

/** `Σ wᵢ·Lᵢ` with each term's own weight (or its override). */
export class FixedWeighting implements LossWeighting {
  readonly name = 'fixed' as const;
  readonly variables: tf.Variable[] = [];

  constructor(private readonly weights: readonly number[]) {}

  combine(termLosses: readonly tf.Scalar[]): tf.Scalar {
    return tf.tidy(() => tf.addN(termLosses.map((l, i) => tf.mul(l, this.weights[i]!))) as tf.Scalar);
  }

  state(): Record<string, number> {
    return {};
  }

  restore(): void {}

  dispose(): void {}
}

let uncertaintyInstances = 0;

/**
 * Homoscedastic-uncertainty weighting (Kendall, Gal & Cipolla, CVPR 2018), in the form this trainer uses:
 *
 *     total = Σ_{task terms i} wᵢ · ( exp(−sᵢ) · Lᵢ + sᵢ / 2 )  +  Σ_{auxiliary terms j} wⱼ · Lⱼ
 *
 * with one learned log-variance `sᵢ = log σᵢ²` per term whose role is `task`, initialised at 0 (so training starts
 * from the fixed weights). This is the paper's classification form `Lᵢ/σᵢ² + log σᵢ`; for a fixed `Lᵢ` it is
 * minimal at `exp(sᵢ) = 2·Lᵢ`, so noisier (higher-loss) tasks get smaller effective weights `wᵢ·exp(−sᵢ)`, and
 * the `sᵢ/2` term keeps `sᵢ` from growing without bound. Auxiliary terms (an enhancer's original head, a calibrator)
 * keep their fixed weights: they are regularisers of a task, not tasks with their own noise level.
 */
export class UncertaintyWeighting implements LossWeighting {
  readonly name = 'uncertainty' as const;
  readonly variables: tf.Variable[];
  private readonly slots: (tf.Variable | undefined)[];

  constructor(
    private readonly terms: readonly LossTermSpec[],
    private readonly weights: readonly number[],
  ) {
    const instance = uncertaintyInstances++;
    this.slots = terms.map((t) =>
      t.role === 'task'
        ? tf.tidy(() => tf.variable(tf.scalar(0), true, `ektm_log_variance_${instance}_${t.name.replace(/[^\w.-]/g, '_')}`))
        : undefined,
    );
    this.variables = this.slots.filter((v): v is tf.Variable => v !== undefined);
    if (this.variables.length === 0)
      throw new ConfigError('lossWeighting "uncertainty": the model has no loss term with role "task" to weight');
  }

  combine(termLosses: readonly tf.Scalar[]): tf.Scalar {
    return tf.tidy(() => {
      const parts = termLosses.map((loss, i) => {
        const s = this.slots[i];
        const weighted = s ? tf.add(tf.mul(tf.exp(tf.neg(s)), loss), tf.mul(s, 0.5)) : loss;
        return tf.mul(weighted, this.weights[i]!);
      });
      return tf.addN(parts) as tf.Scalar;
    });
  }

  state(): Record<string, number> {
    const out: Record<string, number> = {};
    this.terms.forEach((t, i) => {
      const s = this.slots[i];
      if (s) out[t.name] = s.dataSync()[0]!;
    });
    return out;
  }

  restore(values: Readonly<Record<string, number>>): void {
    this.terms.forEach((t, i) => {
      const s = this.slots[i];
      if (!s) return;
      const v = values[t.name];
      if (typeof v !== 'number')
        throw new ModelFileError(`lossWeighting "uncertainty": the checkpoint has no log-variance for term "${t.name}"`);
      tf.tidy(() => s.assign(tf.scalar(v)));
    });
  }

  dispose(): void {
    tf.dispose(this.variables);
  }
}

/** The strategy by name, for terms with the given effective weights. */
export function createLossWeighting(name: LossWeightingName, terms: readonly LossTermSpec[], weights: readonly number[]): LossWeighting {
  return name === 'uncertainty' ? new UncertaintyWeighting(terms, weights) : new FixedWeighting(weights);
}
