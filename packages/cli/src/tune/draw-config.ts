import { createHash } from 'node:crypto';
import { searchKeyActive, searchKeyOrder, seededRandom, type SearchSpace } from '@ektm/core';

/** A stable 32-bit seed for one (search seed, trial, key) triple. */
function streamSeed(seed: number, trial: number, key: string): number {
  return createHash('sha256').update(`${seed}:${trial}:${key}`).digest().readUInt32LE(0);
}

/** A number rounded to four significant digits (readable configs), kept inside `[lo, hi]`. */
function readable(value: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, Number(value.toPrecision(4))));
}

/**
 * The configuration of trial `trial` of a search seeded with `seed`: one value per key of `space` (keys whose `when`
 * does not hold are left out, so the model's default applies). Every key draws from its own stream, seeded by the
 * search seed, the trial and the key's name, so a trial's configuration depends on nothing else: not on the other
 * trials, the order they run in, the number of workers or the order of the keys, and adding a key to a space leaves
 * the other keys' values as they were. Real values keep four significant digits.
 *
 * ```ts
 * drawConfig({ learningRate: { log: [1e-4, 1e-2] }, experts: { int: [2, 8] } }, 1, 0); // { learningRate: 0.002113, experts: 5 }
 * ```
 */
export function drawConfig(space: SearchSpace, seed: number, trial: number): Record<string, unknown> {
  const drawn: Record<string, unknown> = {};
  for (const key of searchKeyOrder(space)) {
    if (!searchKeyActive(space, key, drawn)) continue;
    const u = seededRandom(streamSeed(seed, trial, key))();
    const d = space[key]!;
    if ('choice' in d) drawn[key] = structuredClone(d.choice[Math.floor(u * d.choice.length)]);
    else if ('int' in d) drawn[key] = d.int[0] + Math.floor(u * (d.int[1] - d.int[0] + 1));
    else if ('log' in d)
      drawn[key] = readable(Math.exp(Math.log(d.log[0]) + u * (Math.log(d.log[1]) - Math.log(d.log[0]))), d.log[0], d.log[1]);
    else drawn[key] = readable(d.uniform[0] + u * (d.uniform[1] - d.uniform[0]), d.uniform[0], d.uniform[1]);
  }
  // In the space's own key order, as a reader of trials.jsonl expects.
  return Object.fromEntries(
    Object.keys(space)
      .filter((k) => k in drawn)
      .map((k) => [k, drawn[k]]),
  );
}
