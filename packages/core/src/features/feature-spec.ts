/**
 * What the model knows about one input field. Datasets produce these; the embedding layer consumes them.
 */
export type FeatureSpec = CategoricalFeatureSpec | NumericFeatureSpec;

/** A categorical field, encoded as an integer index in `[0, vocabularySize)`; index 0 is out-of-vocabulary. */
export interface CategoricalFeatureSpec {
  /** Field name, unique among features. */
  name: string;
  /** Discriminant of {@link FeatureSpec}: an integer-indexed field with an embedding table. */
  type: 'categorical';
  /** Number of distinct indices including the out-of-vocabulary index 0. */
  vocabularySize: number;
  /** Embedding dimension; defaults to the model's `embeddingDim`. */
  embeddingDim?: number;
  /** Fields naming the same table share one embedding table (their vocabularies must have the same size). */
  sharedEmbedding?: string;
}

/** A numeric field, already transformed (log1p, standardised, ...) to a float. */
export interface NumericFeatureSpec {
  /** Field name, unique among features. */
  name: string;
  /** Discriminant of {@link FeatureSpec}: a float field used as is. */
  type: 'numeric';
}

/** Categorical features first, in their given order, then numeric ones: the column order of an encoded table. */
export function splitFeatures(features: readonly FeatureSpec[]): {
  /** The categorical features, in their given order. */
  categorical: CategoricalFeatureSpec[];
  /** The numeric features, in their given order. */
  numeric: NumericFeatureSpec[];
} {
  return {
    categorical: features.filter((f): f is CategoricalFeatureSpec => f.type === 'categorical'),
    numeric: features.filter((f): f is NumericFeatureSpec => f.type === 'numeric'),
  };
}
