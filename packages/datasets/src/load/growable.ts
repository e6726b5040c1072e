type TypedArray = Int32Array | Float32Array | Float64Array | Uint8Array;
type TypedArrayConstructor<T extends TypedArray> = new (length: number) => T;

/** An append-only typed array that doubles its capacity, for columns whose row count is not known up front. */
export class GrowableArray<T extends TypedArray> {
  private data: T;
  private size = 0;

  constructor(
    private readonly Kind: TypedArrayConstructor<T>,
    capacity = 1024,
  ) {
    this.data = new Kind(capacity);
  }

  /** Appends one value. */
  push(value: number): void {
    if (this.size === this.data.length) {
      const bigger = new this.Kind(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.size++] = value;
  }

  /** Number of values. */
  get length(): number {
    return this.size;
  }

  /** The values so far (a view, valid until the next push). */
  view(): T {
    return this.data.subarray(0, this.size) as T;
  }
}
