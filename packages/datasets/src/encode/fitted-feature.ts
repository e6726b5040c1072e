import type { FeatureSpec } from '@ektm/core';
import type { ColumnRef } from '../spec/dataset-spec.js';
import type { FittedNumeric } from './numeric-transform.js';
import { bucketCount } from './numeric-transform.js';

/**
 * A feature with everything learnt from train: its vocabulary, hash size or numeric statistics. This is
 * what a saved model keeps, so that serving encodes raw rows exactly as training did.
 */
export type FittedFeature = VocabularyFeature | HashedFeature | NumericFeature | BucketisedFeature;

interface FittedFeatureBase {
  /** Feature name in the model. */
  name: string;
  /** Source column (name, key or index). */
  column: ColumnRef;
}

/** A categorical feature with a vocabulary from train: `values[i]` has index `i + 1`. */
export interface VocabularyFeature extends FittedFeatureBase {
  /** Discriminant. */
  kind: 'vocabulary';
  /** The vocabulary in index order, from index 1. */
  values: string[];
  /** Embedding dimension for the model. */
  embeddingDim?: number;
}

/** A categorical feature hashed into `buckets` buckets (indices 1..buckets; 0 = missing). */
export interface HashedFeature extends FittedFeatureBase {
  /** Discriminant. */
  kind: 'hash';
  /** Number of hash buckets. */
  buckets: number;
  /** Embedding dimension for the model. */
  embeddingDim?: number;
}

/** A numeric feature with its fitted transforms. */
export interface NumericFeature extends FittedFeatureBase {
  /** Discriminant. */
  kind: 'numeric';
  /** The fitted transforms. */
  numeric: FittedNumeric;
}

/** A numeric column encoded as a categorical bucket index (0 = missing). */
export interface BucketisedFeature extends FittedFeatureBase {
  /** Discriminant. */
  kind: 'buckets';
  /** The fitted transforms, ending in the bucket boundaries. */
  numeric: FittedNumeric;
  /** Embedding dimension for the model. */
  embeddingDim?: number;
}

/** Whether the feature's raw value is read as a string or a number. */
export function sourceType(feature: FittedFeature): 'categorical' | 'numeric' {
  return feature.kind === 'vocabulary' || feature.kind === 'hash' ? 'categorical' : 'numeric';
}

/** The model-facing spec of a fitted feature (bucketised numerics are categorical). */
function featureSpecOf(feature: FittedFeature): FeatureSpec {
  const dim = (f: { embeddingDim?: number }) => (f.embeddingDim === undefined ? {} : { embeddingDim: f.embeddingDim });
  switch (feature.kind) {
    case 'vocabulary':
      return { name: feature.name, type: 'categorical', vocabularySize: feature.values.length + 1, ...dim(feature) };
    case 'hash':
      return { name: feature.name, type: 'categorical', vocabularySize: feature.buckets + 1, ...dim(feature) };
    case 'buckets':
      return { name: feature.name, type: 'categorical', vocabularySize: bucketCount(feature.numeric), ...dim(feature) };
    case 'numeric':
      return { name: feature.name, type: 'numeric' };
  }
}

/**
 * @internal
 * Where each fitted feature lands in an encoded table. Encoded tables hold categorical columns first, then
 * numeric ones (core's `splitFeatures` order); raw rows hold categorical-source, then numeric-source values.
 */
export interface OutputLayout {
  /** Model-facing specs, categorical outputs first, in that order. */
  features: FeatureSpec[];
  /** For each categorical-source feature (raw order): its categorical output column. */
  categoricalSourceToColumn: number[];
  /** For each numeric-source feature (raw order): its output column and whether that column is categorical. */
  numericSourceToColumn: Array<{
    /** Output column. */
    column: number;
    /** Whether it is a categorical column (buckets). */
    categorical: boolean;
  }>;
  /** Fitted feature of each categorical-source value (raw order). */
  categoricalSources: Array<VocabularyFeature | HashedFeature>;
  /** Fitted feature of each numeric-source value (raw order). */
  numericSources: Array<NumericFeature | BucketisedFeature>;
  /** Number of categorical output columns. */
  categoricalCount: number;
  /** Number of numeric output columns. */
  numericCount: number;
}

/**
 * Computes the output layout of fitted features given in spec order.
 * @internal
 */
export function outputLayout(fitted: readonly FittedFeature[]): OutputLayout {
  const categoricalOutputs = fitted.filter((f) => f.kind !== 'numeric');
  const numericOutputs = fitted.filter((f) => f.kind === 'numeric');
  const catIndex = new Map(categoricalOutputs.map((f, i) => [f, i]));
  const numIndex = new Map(numericOutputs.map((f, i) => [f, i]));
  const categoricalSources = fitted.filter((f): f is VocabularyFeature | HashedFeature => sourceType(f) === 'categorical');
  const numericSources = fitted.filter((f): f is NumericFeature | BucketisedFeature => sourceType(f) === 'numeric');
  return {
    features: [...categoricalOutputs, ...numericOutputs].map(featureSpecOf),
    categoricalSourceToColumn: categoricalSources.map((f) => catIndex.get(f)!),
    numericSourceToColumn: numericSources.map((f) =>
      f.kind === 'buckets' ? { column: catIndex.get(f)!, categorical: true } : { column: numIndex.get(f)!, categorical: false },
    ),
    categoricalSources,
    numericSources,
    categoricalCount: categoricalOutputs.length,
    numericCount: numericOutputs.length,
  };
}
