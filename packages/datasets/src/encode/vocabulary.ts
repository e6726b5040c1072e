/**
 * A categorical feature's vocabulary, built from the train split only. Index 0 is reserved for missing,
 * rare (below the minimum count) and unseen values, so serving never meets an index the model lacks.
 */
export class Vocabulary {
  private readonly index = new Map<string, number>();

  /** @param values the vocabulary; `values[i]` gets index `i + 1` */
  constructor(
    /** The vocabulary; `values[i]` has index `i + 1`. */
    readonly values: readonly string[],
  ) {
    values.forEach((v, i) => this.index.set(v, i + 1));
  }

  /** Number of indices, including the out-of-vocabulary index 0. */
  get size(): number {
    return this.values.length + 1;
  }

  /** The value's index, or 0 for a missing or unknown value. */
  indexOf(value: string | undefined): number {
    return value === undefined ? 0 : (this.index.get(value) ?? 0);
  }
}

/**
 * Interns a categorical column's values and counts how often each occurs in train. Interning gives every
 * distinct value a provisional id, so the in-memory loader stores ints, not strings, and remaps them once the
 * vocabulary is known.
 */
export class CategoricalCounter {
  private readonly ids = new Map<string, number>();
  private readonly values: string[] = [];
  private readonly trainCounts: number[] = [];

  /** The value's provisional id (or -1 when missing); counts it when the row is a training row. */
  add(value: string | undefined, isTrain: boolean): number {
    if (value === undefined) return -1;
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.ids.set(value, id);
      this.values.push(value);
      this.trainCounts.push(0);
    }
    if (isTrain) this.trainCounts[id]!++;
    return id;
  }

  /** The value behind a provisional id. */
  valueOf(id: number): string {
    return this.values[id]!;
  }

  /** Number of distinct values interned so far. */
  get distinct(): number {
    return this.values.length;
  }

  /**
   * The vocabulary: train values seen at least `minCount` times, most frequent first (ties by value, so the
   * result does not depend on row order), at most `maxSize` of them.
   */
  fit(minCount: number, maxSize = Infinity): Vocabulary {
    const kept: number[] = [];
    for (let id = 0; id < this.values.length; id++) if (this.trainCounts[id]! >= Math.max(1, minCount)) kept.push(id);
    kept.sort((a, b) => this.trainCounts[b]! - this.trainCounts[a]! || compareStrings(this.values[a]!, this.values[b]!));
    return new Vocabulary(kept.slice(0, maxSize).map((id) => this.values[id]!));
  }
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
