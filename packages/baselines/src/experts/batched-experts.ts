import * as tf from '@tensorflow/tfjs-core';
import { initializers, type LayerVariable } from '@tensorflow/tfjs-layers';
import {
  applyActivation,
  denseFused,
  DENSE_ACTIVATIONS,
  SeedSequence,
  type DenseActivation,
  type OptionSchemaFor,
  type WeightFactory,
} from '@ektm/core';
import { ConfigError } from '@ektm/core';

/** Options of a group of experts: every expert is an MLP of the same shape. */
export interface ExpertOptions {
  /** Output units of each layer of one expert, e.g. `[64]` or `[128, 64]`. */
  units: number[];
  /** Activation after every layer, the last one included (experts emit hidden representations). Default `relu`. */
  activation?: DenseActivation;
  /** Dropout rate after every layer, in training only. Default 0. */
  dropout?: number;
}

/** The keys of {@link ExpertOptions}, documented (for builder option schemas and search spaces: `expert.units`). */
export const EXPERT_OPTION_SCHEMA: OptionSchemaFor<ExpertOptions> = {
  units: { type: 'integer[]', min: 1, doc: 'Output units of each layer of one expert, e.g. [64] or [128, 64].' },
  activation: { type: 'string', choices: DENSE_ACTIVATIONS, default: 'relu', doc: 'Activation after every layer.' },
  dropout: { type: 'number', min: 0, max: 1, exclusiveMax: true, default: 0, doc: 'Dropout after every layer, in training only.' },
};

/** Validates expert options; `where` names the option path in the error. */
export function validateExpertOptions(options: ExpertOptions, where: string): void {
  if (
    !options ||
    !Array.isArray(options.units) ||
    options.units.length === 0 ||
    options.units.some((u) => !Number.isInteger(u) || u <= 0)
  ) {
    throw new ConfigError(
      `${where}.units: ${JSON.stringify(options?.units)} must be a non-empty array of positive integers`,
      `${where}.units`,
    );
  }
  if (options.activation !== undefined && !DENSE_ACTIVATIONS.includes(options.activation)) {
    throw new ConfigError(
      `${where}.activation: "${options.activation}" is not allowed; use ${DENSE_ACTIVATIONS.join(', ')}`,
      `${where}.activation`,
    );
  }
  if (options.dropout !== undefined && !(options.dropout >= 0 && options.dropout < 1)) {
    throw new ConfigError(`${where}.dropout: ${options.dropout} must be in [0, 1)`, `${where}.dropout`);
  }
  const unknown = Object.keys(options).filter((k) => !['units', 'activation', 'dropout'].includes(k));
  if (unknown.length)
    throw new ConfigError(`${where}: unknown option(s) ${unknown.join(', ')}; experts take units, activation, dropout`, where);
}

/** Glorot-uniform limit of one expert's `[fanIn, fanOut]` kernel (not of the stacked kernel, whose fans are E times larger). */
function glorotLimit(fanIn: number, fanOut: number): number {
  return Math.sqrt(6 / (fanIn + fanOut));
}

/**
 * E experts of the same shape computed as ONE batched computation instead of E small ones: the first layer is a
 * single wide matMul `[B, in] · [in, E·u]` (every expert reads the same input), deeper layers one batched matMul
 * over `[E, B, u]`. On the wasm backend a few large matMuls are several times faster than many small ones.
 * Weights live on the owning layer (see `DenseStack`): layer 0 `kernel [in, E·u0]`, `bias [E·u0]`; layer l > 0
 * `kernel [E, u_{l-1}, u_l]`, `bias [E, 1, u_l]`. Expert e owns columns `e·u0 … (e+1)·u0 − 1` of layer 0.
 */
export class BatchedExperts {
  private readonly kernels: LayerVariable[] = [];
  private readonly biases: LayerVariable[] = [];
  private readonly dropoutSeed: number;
  private dropoutCalls = 0;

  constructor(
    private readonly options: ExpertOptions,
    createWeight: WeightFactory,
    prefix: string,
    /** Number of experts, E. */
    readonly count: number,
    /** Width of the input of every expert. */
    readonly inputDim: number,
    seed: number,
  ) {
    const seeds = new SeedSequence(seed);
    this.dropoutSeed = seeds.next();
    let fanIn = inputDim;
    options.units.forEach((units, i) => {
      const limit = glorotLimit(fanIn, units);
      const init = initializers.randomUniform({ minval: -limit, maxval: limit, seed: seeds.next() });
      const shape = i === 0 ? [fanIn, count * units] : [count, fanIn, units];
      this.kernels.push(createWeight(`${prefix}${i}/kernel`, shape, init, true));
      this.biases.push(createWeight(`${prefix}${i}/bias`, i === 0 ? [count * units] : [count, 1, units], initializers.zeros(), true));
      fanIn = units;
    });
  }

  /** Width of every expert's output. */
  get outputDim(): number {
    return this.options.units[this.options.units.length - 1]!;
  }

  /** Every expert applied to the same input `[B, in]`; returns `[B, E, d]`. */
  applyShared(x: tf.Tensor, training: boolean): tf.Tensor3D {
    // One fused product (bias and activation in the same kernel call) for the first layer of every expert.
    const h = this.dropoutAfter(denseFused(x, this.kernels[0]!.read(), this.biases[0]!.read(), this.activation), training, 0);
    return this.afterFirstLayer(h, training);
  }

  /**
   * The experts in groups, each group on its own input: group g (`sizes[g]` consecutive experts, in expert order)
   * reads `inputs[g]` (`[B, in]` each); returns `[B, E, d]`, as `applyEach` with expert e reading its group's input,
   * but with one plain product per group over its experts' columns of the first layer instead of copying every
   * input once per expert (PLE's levels after the first: the task experts read their task's input, the shared ones
   * the shared input).
   */
  applyGrouped(inputs: readonly tf.Tensor[], sizes: readonly number[], training: boolean): tf.Tensor3D {
    const u0 = this.options.units[0]!;
    const total = sizes.reduce((a, b) => a + b, 0);
    // Internal invariant: the owning block passes one input per group and groups that cover every expert.
    if (inputs.length !== sizes.length || total !== this.count) {
      throw new Error(`BatchedExperts.applyGrouped: ${inputs.length} inputs for groups [${sizes.join(', ')}] of ${this.count} experts`);
    }
    const kernel = this.kernels[0]!.read();
    const bias = this.biases[0]!.read();
    let first = 0;
    const parts = inputs.map((x, g) => {
      const columns = [first * u0, sizes[g]! * u0];
      first += sizes[g]!;
      if (sizes[g] === this.count) return denseFused(x, kernel, bias, this.activation);
      const k = tf.slice(kernel, [0, columns[0]!], [this.inputDim, columns[1]!]);
      return denseFused(x, k, tf.slice(bias, [columns[0]!], [columns[1]!]), this.activation);
    });
    const h = this.dropoutAfter(parts.length === 1 ? parts[0]! : tf.concat(parts, -1), training, 0);
    return this.afterFirstLayer(h, training);
  }

  /** The first layer's output `[B, E·u0]` through the deeper layers; returns `[B, E, d]`. */
  private afterFirstLayer(h: tf.Tensor, training: boolean): tf.Tensor3D {
    const perExpert = tf.reshape(h, [-1, this.count, this.options.units[0]!]) as tf.Tensor3D;
    if (this.kernels.length === 1) return perExpert;
    return this.deeper(tf.transpose(perExpert, [1, 0, 2]) as tf.Tensor3D, training);
  }

  /** Expert e applied to its own input `xs[e]` (`xs`: `[E, B, in]`); returns `[B, E, d]`. */
  applyEach(xs: tf.Tensor3D, training: boolean): tf.Tensor3D {
    const u0 = this.options.units[0]!;
    const kernel = tf.transpose(tf.reshape(this.kernels[0]!.read(), [this.inputDim, this.count, u0]), [1, 0, 2]) as tf.Tensor3D;
    const bias = tf.reshape(this.biases[0]!.read(), [this.count, 1, u0]);
    const h = this.activate(tf.add(tf.matMul(xs, kernel), bias), training, 0) as tf.Tensor3D;
    if (this.kernels.length === 1) return tf.transpose(h, [1, 0, 2]) as tf.Tensor3D;
    return this.deeper(h, training);
  }

  /** Layers 1… on `[E, B, u]`; returns `[B, E, d]`. */
  private deeper(h: tf.Tensor3D, training: boolean): tf.Tensor3D {
    let out: tf.Tensor = h;
    for (let i = 1; i < this.kernels.length; i++) {
      out = this.activate(
        tf.add(tf.matMul(out as tf.Tensor3D, this.kernels[i]!.read() as tf.Tensor3D), this.biases[i]!.read()),
        training,
        i,
      );
    }
    return tf.transpose(out, [1, 0, 2]) as tf.Tensor3D;
  }

  private get activation(): DenseActivation {
    return this.options.activation ?? 'relu';
  }

  private activate(z: tf.Tensor, training: boolean, layer: number): tf.Tensor {
    return this.dropoutAfter(applyActivation(z, this.activation), training, layer);
  }

  private dropoutAfter(h: tf.Tensor, training: boolean, layer: number): tf.Tensor {
    const rate = this.options.dropout ?? 0;
    if (!training || rate === 0) return h;
    if (layer === 0) this.dropoutCalls++;
    return tf.dropout(h, rate, undefined, (this.dropoutSeed + this.dropoutCalls * 7919 + layer) >>> 0);
  }
}
