type Typed = Float32Array | Int32Array | Uint8Array;

/**
 * An append-only typed array that doubles its capacity, so a metric accumulator holds millions of
 * rows in 4 (or 1) bytes each instead of a JS `number[]` (8+ bytes a slot, boxed on some paths).
 */
export class GrowableArray<T extends Typed> {
  private data: T;
  private size = 0;

  constructor(
    private readonly make: (capacity: number) => T,
    initialCapacity = 1024,
  ) {
    this.data = make(Math.max(1, initialCapacity));
  }

  /** Number of values appended. */
  get length(): number {
    return this.size;
  }

  /** Makes room for `extra` more values without reallocating in between. */
  reserve(extra: number): void {
    const needed = this.size + extra;
    if (needed <= this.data.length) return;
    let capacity = this.data.length;
    while (capacity < needed) capacity *= 2;
    const next = this.make(capacity);
    next.set(this.data.subarray(0, this.size) as never);
    this.data = next;
  }

  push(value: number): void {
    if (this.size === this.data.length) this.reserve(1);
    this.data[this.size++] = value;
  }

  /** The values appended so far, as a view (valid until the next append). */
  view(): T {
    return this.data.subarray(0, this.size) as T;
  }

  clear(): void {
    this.size = 0;
  }
}

export const growableFloat32 = (capacity?: number) => new GrowableArray((n) => new Float32Array(n), capacity);
export const growableInt32 = (capacity?: number) => new GrowableArray((n) => new Int32Array(n), capacity);
export const growableUint8 = (capacity?: number) => new GrowableArray((n) => new Uint8Array(n), capacity);
