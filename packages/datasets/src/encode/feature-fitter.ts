import type { FittedFeature } from './fitted-feature.js';
import type { NormalisedFeature } from '../spec/normalised-spec.js';
import { CategoricalCounter } from './vocabulary.js';
import { NumericAccumulator } from './numeric-transform.js';

/** A spec feature with its resolved name (from the header when the spec gives an index). */
export interface NamedFeature extends NormalisedFeature {
  name: string;
}

/**
 * Learns every feature's encoding from the train rows only: vocabulary counts for categorical features and
 * statistics for numeric ones. Interning also hands out provisional ids, so the in-memory loader can keep
 * ints per cell and remap them after fitting, instead of holding millions of strings.
 */
export class FeatureFitter {
  private readonly counters: Array<CategoricalCounter | undefined>;
  private readonly accumulators: NumericAccumulator[];
  private readonly categorical: NamedFeature[];
  private readonly numeric: NamedFeature[];

  constructor(private readonly features: readonly NamedFeature[]) {
    this.categorical = features.filter((f) => f.type === 'categorical');
    this.numeric = features.filter((f) => f.type === 'numeric');
    this.counters = this.categorical.map((f) => (f.hashBuckets === undefined ? new CategoricalCounter() : undefined));
    this.accumulators = this.numeric.map(
      (f, i) => new NumericAccumulator(f.transforms, { buckets: f.buckets, boundaries: f.boundaries, seed: i + 1 }),
    );
  }

  /** True when categorical-source feature `i` is hashed (no vocabulary to learn). */
  isHashed(i: number): boolean {
    return this.counters[i] === undefined;
  }

  /** Interns categorical value `value` of feature `i`; counts it for the vocabulary when `isTrain`. Returns its provisional id (-1 = missing). */
  intern(i: number, value: string | undefined, isTrain: boolean): number {
    return this.counters[i]!.add(value, isTrain);
  }

  /** The value behind a provisional id of categorical feature `i`. */
  valueOf(i: number, id: number): string {
    return this.counters[i]!.valueOf(id);
  }

  /** Number of distinct values interned for categorical feature `i`. */
  distinct(i: number): number {
    return this.counters[i]?.distinct ?? 0;
  }

  /** Adds a train value of numeric-source feature `i` (NaN = missing, ignored). */
  observeNumeric(i: number, raw: number): void {
    if (!Number.isNaN(raw)) this.accumulators[i]!.add(raw);
  }

  /** The fitted features, in spec order. */
  fit(): FittedFeature[] {
    return this.features.map((f): FittedFeature => {
      const dim = f.embeddingDim === undefined ? {} : { embeddingDim: f.embeddingDim };
      if (f.type === 'categorical') {
        const i = this.categorical.indexOf(f);
        if (f.hashBuckets !== undefined) return { name: f.name, column: f.column, kind: 'hash', buckets: f.hashBuckets, ...dim };
        const vocabulary = this.counters[i]!.fit(f.minCount, f.maxVocabularySize);
        return { name: f.name, column: f.column, kind: 'vocabulary', values: [...vocabulary.values], ...dim };
      }
      const numeric = this.accumulators[this.numeric.indexOf(f)]!.fit();
      if (f.transforms.includes('buckets')) return { name: f.name, column: f.column, kind: 'buckets', numeric, ...dim };
      return { name: f.name, column: f.column, kind: 'numeric', numeric };
    });
  }
}
