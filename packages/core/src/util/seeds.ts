import { ConfigError } from '../errors/config-error.js';
/**
 * A deterministic stream of integer seeds derived from one model seed, so that every initializer and
 * dropout layer gets its own seed and the same model seed always builds the same weights.
 */
export class SeedSequence {
  private state: number;

  constructor(seed: number) {
    if (!Number.isInteger(seed)) throw new ConfigError(`seed: ${seed} must be an integer`, 'seed');
    this.state = seed >>> 0;
  }

  /** The next seed (splitmix32). */
  next(): number {
    this.state = (this.state + 0x9e3779b9) >>> 0;
    let z = this.state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  }
}

/** A seeded uniform random number generator in [0, 1) (mulberry32), for shuffling. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
