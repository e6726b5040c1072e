/**
 * A small seeded PRNG (mulberry32, 32-bit state) with the few draws this package needs. Seeded randomness
 * makes shuffles, reservoirs and the simulator reproducible, bit for bit, on every platform.
 */
export class Prng {
  private state: number;

  constructor(seed: number) {
    this.state = mixSeed(seed);
  }

  /** A float in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** A standard normal draw (Box–Muller). */
  gaussian(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** An independent generator for a named purpose, so that adding draws in one place does not shift another. */
  fork(stream: number): Prng {
    return new Prng(mixSeed(this.state ^ mixSeed(stream + 0x9e3779b9)));
  }
}

/** splitmix32-style finaliser: spreads nearby seeds (0, 1, 2...) into unrelated states. */
function mixSeed(seed: number): number {
  let z = (seed + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) | 0;
}
