/**
 * Helpers for the engine's parity tests: run one computation on the cpu backend (the reference) and on wasm,
 * and compare. Test-only; not exported from the package.
 */
import '@tensorflow/tfjs-backend-cpu';
import { engine, getBackend, setBackend, tidy } from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';

/** Deterministic values in `[-scale, scale)` (mulberry32), the same on every backend. */
export function randomValues(n: number, seed: number, scale = 1): Float32Array {
  let state = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1) * scale;
  }
  return out;
}

/** Deterministic integers in `[0, max)`. */
export function randomIds(n: number, max: number, seed: number): Int32Array {
  const u = randomValues(n, seed, 1);
  return Int32Array.from(u, (v) => Math.min(max - 1, Math.floor(((v + 1) / 2) * max)));
}

/** Values of the tensors `compute` returns, computed on `backend`; switches back to the previous backend. */
export async function runOn(backend: 'cpu' | 'wasm', compute: () => Tensor | Tensor[]): Promise<Float32Array[]> {
  const previous = getBackend();
  await setBackend(backend);
  // Silence the cpu backend's banner recommending tfjs-node on its first write.
  const instance = engine().registry[backend] as { firstUse?: boolean };
  if ('firstUse' in instance) instance.firstUse = false;
  try {
    const outputs = tidy(() => {
      const out = compute();
      return Array.isArray(out) ? out : [out];
    });
    const values = outputs.map((t) => Float32Array.from(t.dataSync()));
    outputs.forEach((t) => t.dispose());
    return values;
  } finally {
    await setBackend(previous);
  }
}

/** Largest `|actual − expected| / max(1, |expected|)`: absolute near zero, relative for large values. */
export function maxError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < actual.length; i++) {
    const err = Math.abs(actual[i] - expected[i]) / Math.max(1, Math.abs(expected[i]));
    if (!(err <= worst)) worst = Number.isNaN(err) ? Infinity : Math.max(worst, err);
  }
  return worst;
}

/** Tensors and backend buffers alive now; both must be unchanged after a kernel call that leaks nothing. */
export function liveCounts(): { tensors: number; dataIds: number } {
  return { tensors: engine().memory().numTensors, dataIds: engine().backend.numDataIds() };
}
