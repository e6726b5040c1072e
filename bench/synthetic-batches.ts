/**
 * The synthetic batches of ../../shared/bench/torch_mmoe.py, so that both engines see the same kind of data:
 * ids = floor(u² · V) (a skewed, power-law-like id distribution, which matters for sparse updates), and two labels
 * thresholding sums of a fixed random value per (field, id). Not bit-identical to numpy's generator (a seeded
 * mulberry32 instead), identical in distribution.
 */

/** One batch as typed arrays, ready to upload. */
export interface SyntheticBatch {
  /** `[batch, fields]` int32 ids, row-major. */
  ids: Int32Array;
  /** Label of each task, `[batch]` float32 each. */
  labels: Float32Array[];
}

/** A small seeded uniform generator in [0, 1) (mulberry32). */
export function uniformGenerator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` batches of `batch` rows over `fields` fields with `vocabulary` ids each. */
export function syntheticBatches(count: number, batch: number, fields: number, vocabulary: number, seed = 12345): SyntheticBatch[] {
  const u = uniformGenerator(seed);
  const hidden = new Float32Array(fields * vocabulary);
  for (let i = 0; i < hidden.length; i++) hidden[i] = 2 * u() - 1;
  return Array.from({ length: count }, () => {
    const ids = new Int32Array(batch * fields);
    const y0 = new Float32Array(batch);
    const y1 = new Float32Array(batch);
    for (let r = 0; r < batch; r++) {
      let all = 0;
      let odd = 0;
      for (let f = 0; f < fields; f++) {
        const v = u();
        const id = Math.floor(v * v * vocabulary);
        ids[r * fields + f] = id;
        const s = hidden[f * vocabulary + id]!;
        all += s;
        if (f % 2 === 1) odd += s;
      }
      y0[r] = all > 0 ? 1 : 0;
      y1[r] = odd > 0.5 ? 1 : 0;
    }
    return { ids, labels: [y0, y1] };
  });
}
