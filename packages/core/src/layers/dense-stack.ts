import * as tf from '@tensorflow/tfjs-core';
import { initializers, type LayerVariable } from '@tensorflow/tfjs-layers';
import { SeedSequence } from '../util/seeds.js';
import { stopGradient } from '../util/stop-gradient.js';
import { ConfigError } from '../errors/config-error.js';

/** Activations a dense stack supports; all run as fused kernels where the backend has them. */
export type DenseActivation = 'relu' | 'linear' | 'sigmoid' | 'elu' | 'relu6' | 'leakyrelu';
/** Every {@link DenseActivation}, for validating options at runtime and naming the allowed values in errors. */
export const DENSE_ACTIVATIONS: readonly DenseActivation[] = ['relu', 'linear', 'sigmoid', 'elu', 'relu6', 'leakyrelu'];

/** Options of a stack of dense layers (an MLP), shared by every block that owns one. */
export interface DenseStackOptions {
  /** Output units of each layer, e.g. `[256, 128]`. */
  units: number[];
  /** Activation after every layer (and after the last unless `activateLast` is false). Default `relu`. */
  activation?: DenseActivation;
  /** Whether the last layer is activated too. Default true (hidden representations); false for logits. */
  activateLast?: boolean;
  /** Dropout rate after each layer but a last one left linear by `activateLast: false` (a logit), in training only. Default 0. */
  dropout?: number;
  /**
   * Normalisation before each activation: `none` (default), `batch` or `layer`. A last layer left linear by
   * `activateLast: false` (a logit) is never normalised: layer norm over one unit would make it constant.
   */
  normalization?: 'none' | 'batch' | 'layer';
}

/** A tfjs-layers initializer (the type is not exported from the package root). */
export type Initializer = ReturnType<typeof initializers.zeros>;

/** Creates a weight on the owning layer (a TaskBlock passes its protected `addWeight`). */
export type WeightFactory = (name: string, shape: number[], initializer: Initializer, trainable: boolean) => LayerVariable;

/** Validates dense-stack options; `where` names the option path in the error. */
export function validateDenseStackOptions(options: DenseStackOptions, where: string): void {
  if (!Array.isArray(options.units) || options.units.length === 0 || options.units.some((u) => !Number.isInteger(u) || u <= 0)) {
    throw new ConfigError(
      `${where}.units: ${JSON.stringify(options.units)} must be a non-empty array of positive integers`,
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
  if (options.normalization !== undefined && !['none', 'batch', 'layer'].includes(options.normalization)) {
    throw new ConfigError(
      `${where}.normalization: "${options.normalization}" is not allowed; use none, batch or layer`,
      `${where}.normalization`,
    );
  }
}

interface DenseLayerWeights {
  kernel: LayerVariable;
  bias: LayerVariable;
  gamma?: LayerVariable;
  beta?: LayerVariable;
  movingMean?: LayerVariable;
  movingVariance?: LayerVariable;
}

const BATCH_NORM_MOMENTUM = 0.99;
const NORM_EPSILON = 1e-3;

/**
 * An MLP whose weights live on the layer that owns it, so that experts, gates, towers and transmitters
 * reuse one implementation and stay ordinary serializable tfjs layers (tfjs has no nested-layer weights).
 */
export class DenseStack {
  private readonly layers: DenseLayerWeights[] = [];
  private dropoutCalls = 0;
  private readonly dropoutSeed: number;

  constructor(
    private readonly options: DenseStackOptions,
    createWeight: WeightFactory,
    prefix: string,
    inputDim: number,
    seed: number,
  ) {
    const seeds = new SeedSequence(seed);
    this.dropoutSeed = seeds.next();
    let fanIn = inputDim;
    options.units.forEach((units, i) => {
      const name = `${prefix}${i}`;
      const normalization = this.normalizationOf(i);
      const layer: DenseLayerWeights = {
        kernel: createWeight(`${name}/kernel`, [fanIn, units], initializers.glorotUniform({ seed: seeds.next() }), true),
        bias: createWeight(`${name}/bias`, [units], initializers.zeros(), true),
      };
      if (normalization === 'batch' || normalization === 'layer') {
        layer.gamma = createWeight(`${name}/gamma`, [units], initializers.ones(), true);
        layer.beta = createWeight(`${name}/beta`, [units], initializers.zeros(), true);
      }
      if (normalization === 'batch') {
        layer.movingMean = createWeight(`${name}/moving_mean`, [units], initializers.zeros(), false);
        layer.movingVariance = createWeight(`${name}/moving_variance`, [units], initializers.ones(), false);
      }
      this.layers.push(layer);
      fanIn = units;
    });
  }

  /** The normalisation of layer `i`: none for a last layer left linear (a logit). */
  private normalizationOf(i: number): 'none' | 'batch' | 'layer' {
    const last = i === this.options.units.length - 1;
    return last && this.options.activateLast === false ? 'none' : (this.options.normalization ?? 'none');
  }

  /** Output width. */
  get outputDim(): number {
    return this.options.units[this.options.units.length - 1]!;
  }

  /** Applies the stack to `[batch, inputDim]` (or any rank with the features last). */
  apply(x: tf.Tensor, training: boolean): tf.Tensor {
    const activation = this.options.activation ?? 'relu';
    const rate = this.options.dropout ?? 0;
    if (training && rate > 0) this.dropoutCalls++;
    let h = x;
    this.layers.forEach((layer, i) => {
      const last = i === this.layers.length - 1;
      const act: DenseActivation = last && this.options.activateLast === false ? 'linear' : activation;
      const normalization = this.normalizationOf(i);
      if (normalization === 'none') {
        h = denseFused(h, layer.kernel.read(), layer.bias.read(), act);
      } else {
        const z = denseFused(h, layer.kernel.read(), layer.bias.read(), 'linear');
        const normed = normalization === 'layer' ? layerNorm(z, layer) : batchNorm(z, layer, training);
        h = applyActivation(normed, act);
      }
      if (training && rate > 0 && !(last && this.options.activateLast === false)) {
        h = tf.dropout(h, rate, undefined, (this.dropoutSeed + this.dropoutCalls * 7919 + i) >>> 0);
      }
    });
    return h;
  }
}

/** `x · kernel + bias` then the activation, as one fused kernel; works for inputs of rank 2 or more. */
export function denseFused(x: tf.Tensor, kernel: tf.Tensor, bias: tf.Tensor, activation: DenseActivation): tf.Tensor {
  const lastDim = x.shape[x.shape.length - 1]!;
  const flat = x.rank === 2 ? (x as tf.Tensor2D) : (tf.reshape(x, [-1, lastDim]) as tf.Tensor2D);
  const y = tf.fused.matMul({ a: flat, b: kernel as tf.Tensor2D, bias, activation });
  return x.rank === 2 ? y : tf.reshape(y, [...x.shape.slice(0, -1), kernel.shape[1]!]);
}

/** Applies an activation by name. */
export function applyActivation(x: tf.Tensor, activation: DenseActivation): tf.Tensor {
  switch (activation) {
    case 'relu':
      return tf.relu(x);
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'elu':
      return tf.elu(x);
    case 'relu6':
      return tf.relu6(x);
    case 'leakyrelu':
      return tf.leakyRelu(x, 0.2);
    case 'linear':
      return x;
  }
}

function layerNorm(z: tf.Tensor, layer: DenseLayerWeights): tf.Tensor {
  const { mean, variance } = tf.moments(z, -1, true);
  const normed = tf.div(tf.sub(z, mean), tf.sqrt(tf.add(variance, NORM_EPSILON)));
  return tf.add(tf.mul(normed, layer.gamma!.read()), layer.beta!.read());
}

function batchNorm(z: tf.Tensor, layer: DenseLayerWeights, training: boolean): tf.Tensor {
  let mean: tf.Tensor;
  let variance: tf.Tensor;
  if (training) {
    ({ mean, variance } = tf.moments(z, 0));
    const m = BATCH_NORM_MOMENTUM;
    const newMean = tf.tidy(() => tf.add(tf.mul(layer.movingMean!.read(), m), tf.mul(stopGradient(mean), 1 - m)));
    const newVar = tf.tidy(() => tf.add(tf.mul(layer.movingVariance!.read(), m), tf.mul(stopGradient(variance), 1 - m)));
    layer.movingMean!.write(newMean);
    layer.movingVariance!.write(newVar);
  } else {
    mean = layer.movingMean!.read();
    variance = layer.movingVariance!.read();
  }
  return tf.batchNorm(z, mean, variance, layer.beta!.read(), layer.gamma!.read(), NORM_EPSILON);
}
