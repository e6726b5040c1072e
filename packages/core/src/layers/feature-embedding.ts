import * as tf from '@tensorflow/tfjs-core';
import { serialization } from '@tensorflow/tfjs-core';
import { initializers, type LayerVariable } from '@tensorflow/tfjs-layers';
import { TaskBlock, type TaskBlockArgs } from '../composition/task-block.js';
import type { ConfigDict, ConfigValue, Shape } from '../composition/tfjs-types.js';
import { splitFeatures, type CategoricalFeatureSpec, type FeatureSpec } from '../features/feature-spec.js';
import { SeedSequence } from '../util/seeds.js';
import { ConfigError } from '../errors/config-error.js';

/** Record keys of the raw model inputs: this one holds the categorical indices, int32 `[B, C]`. */
export const CATEGORICAL_KEY = '$categorical';
/** Record key of the raw numeric inputs, float32 `[B, M]`; absent when the model has no numeric features. */
export const NUMERIC_KEY = '$numeric';

/** Arguments of {@link FeatureEmbedding}. */
export interface FeatureEmbeddingArgs extends Partial<TaskBlockArgs> {
  /** The model's features; categorical ones are embedded, numeric ones are passed through. */
  features: FeatureSpec[];
  /** Default embedding dimension of a categorical field. Default 8. */
  embeddingDim?: number;
  /** Standard deviation of the normal initializer of the tables. Default 0.05. */
  initStddev?: number;
  /** Seed of the initializer. Default 0. */
  seed?: number;
}

interface TableGroup {
  dim: number;
  /** Categorical column index of each field in this table. */
  columns: number[];
  /** Row offset of each field in the table (shared embeddings share offsets). */
  offsets: number[];
  rows: number;
}

/**
 * All categorical fields embedded through one table per embedding dimension, with per-field row offsets, then
 * numeric fields appended: `[$categorical (int32 [B, C]), $numeric (float32 [B, M])] → $input [B, ΣD + M]`.
 * One gather per table instead of one per field is the fast layout; fields with the same `sharedEmbedding`
 * share rows.
 */
export class FeatureEmbedding extends TaskBlock {
  /** Registered tfjs class name (how a saved model finds this layer again). */
  static readonly className = 'EktmFeatureEmbedding';
  /** A copy of the model's features, in the given order (saved in the config). */
  readonly features: FeatureSpec[];
  /** Embedding dimension of categorical fields that do not set their own. */
  readonly embeddingDim: number;
  /** Standard deviation of the normal initializer of the tables. */
  readonly initStddev: number;
  /** Seed of the table initializers. */
  readonly seed: number;
  private readonly groups: TableGroup[];
  private tables: LayerVariable[] = [];

  constructor(args: FeatureEmbeddingArgs) {
    const { categorical, numeric } = splitFeatures(args.features ?? []);
    super({
      ...args,
      inputKeys: args.inputKeys ?? (numeric.length > 0 ? [CATEGORICAL_KEY, NUMERIC_KEY] : [CATEGORICAL_KEY]),
      outputKeys: args.outputKeys ?? ['$input'],
    });
    if (categorical.length === 0) throw new ConfigError('features: at least one categorical feature is required', 'features');
    this.features = args.features.map((f) => ({ ...f }));
    this.embeddingDim = args.embeddingDim ?? 8;
    this.initStddev = args.initStddev ?? 0.05;
    this.seed = args.seed ?? 0;
    if (!Number.isInteger(this.embeddingDim) || this.embeddingDim <= 0) {
      throw new ConfigError(`embeddingDim: ${this.embeddingDim} must be a positive integer`, 'embeddingDim');
    }
    this.groups = planTables(categorical, this.embeddingDim);
  }

  /** Width of the output: the sum of embedding dimensions plus the numeric fields. */
  get outputDim(): number {
    const { numeric } = splitFeatures(this.features);
    return this.groups.reduce((sum, g) => sum + g.dim * g.columns.length, 0) + numeric.length;
  }

  protected override buildBlock(): void {
    const seeds = new SeedSequence(this.seed);
    this.tables = this.groups.map((g, i) =>
      this.addWeight(
        `table_d${g.dim}_${i}`,
        [g.rows, g.dim],
        'float32',
        initializers.randomNormal({ mean: 0, stddev: this.initStddev, seed: seeds.next() }),
      ),
    );
  }

  protected override callBlock(inputs: tf.Tensor[]): tf.Tensor[] {
    const ids = inputs[0] as tf.Tensor2D;
    const batch = ids.shape[0];
    const parts = this.groups.map((g, i) => tf.reshape(this.lookup(ids, i), [batch, g.columns.length * g.dim]));
    if (inputs.length > 1) parts.push(tf.cast(inputs[1]!, 'float32'));
    return [parts.length === 1 ? parts[0]! : tf.concat(parts, 1)];
  }

  /**
   * The L2 penalty of the embedding vectors that a batch of categorical ids `[B, C]` looks up: the mean over rows of
   * the sum over fields of ‖e‖². A trainer adds it to the loss (times a weight) to keep rare ids from memorising
   * their few labels; its gradient reaches only the rows the batch used. Call it inside the gradient's scope.
   */
  l2Penalty(ids: tf.Tensor2D): tf.Scalar {
    return tf.tidy(() => {
      const sums = this.groups.map((_, i) => tf.sum(tf.square(this.lookup(ids, i))));
      return tf.div(sums.length === 1 ? sums[0]! : tf.addN(sums), ids.shape[0]) as tf.Scalar;
    });
  }

  /** The vectors of table `i` for its fields' ids, `[B · fields, dim]`. */
  private lookup(ids: tf.Tensor2D, i: number): tf.Tensor2D {
    const g = this.groups[i]!;
    const cols =
      g.columns.length === ids.shape[1] && g.columns.every((c, j) => c === j) ? ids : tf.gather(ids, tf.tensor1d(g.columns, 'int32'), 1);
    const rows = tf.add(cols, tf.tensor1d(g.offsets, 'int32'));
    return tf.gather(this.tables[i]!.read(), tf.reshape(rows, [-1])) as tf.Tensor2D;
  }

  protected override blockOutputShapes(inputShapes: Shape[]): Shape[] {
    return [[inputShapes[0]![0] ?? null, this.outputDim]];
  }

  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      features: this.features as unknown as ConfigValue,
      embeddingDim: this.embeddingDim,
      initStddev: this.initStddev,
      seed: this.seed,
    };
  }
}
serialization.registerClass(FeatureEmbedding);

/** Groups categorical fields into one table per dimension and assigns row offsets. */
function planTables(categorical: CategoricalFeatureSpec[], defaultDim: number): TableGroup[] {
  const byDim = new Map<number, TableGroup>();
  const sharedOffsets = new Map<string, { offset: number; size: number; dim: number }>();
  categorical.forEach((field, column) => {
    if (!Number.isInteger(field.vocabularySize) || field.vocabularySize <= 0) {
      throw new ConfigError(
        `features["${field.name}"].vocabularySize: ${field.vocabularySize} must be a positive integer`,
        `features["${field.name}"].vocabularySize`,
      );
    }
    const dim = field.embeddingDim ?? defaultDim;
    let group = byDim.get(dim);
    if (!group) byDim.set(dim, (group = { dim, columns: [], offsets: [], rows: 0 }));
    let offset: number;
    const shared = field.sharedEmbedding ? sharedOffsets.get(field.sharedEmbedding) : undefined;
    if (shared) {
      if (shared.size !== field.vocabularySize || shared.dim !== dim) {
        throw new ConfigError(
          `features["${field.name}"].sharedEmbedding "${field.sharedEmbedding}": vocabularySize and embeddingDim must match the other fields of the table`,
          `features["${field.name}"].sharedEmbedding`,
        );
      }
      offset = shared.offset;
    } else {
      offset = group.rows;
      group.rows += field.vocabularySize;
      if (field.sharedEmbedding) sharedOffsets.set(field.sharedEmbedding, { offset, size: field.vocabularySize, dim });
    }
    group.columns.push(column);
    group.offsets.push(offset);
  });
  return [...byDim.values()];
}
