// Every model of the zoo computes on the patched wasm backend (the default engine) what it computes on the cpu
// backend: the forward pass and one training step, within 1e-4. Covers the compute paths of the blocks (PLE's grouped
// experts and one-product gates, the fused expert layers) on the engine users get.
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { MODELS } from '@ektm/cli';
import { initEngine, patchWasmKernels } from '@ektm/engine';
import { maxDifference, runOn } from './zoo-parity-run.js';

const TOLERANCE = 1e-4;

afterAll(async () => {
  await initEngine({ quiet: true });
});

describe('wasm computes what the cpu backend computes (every model of the zoo)', () => {
  it.each(MODELS.names())('%s: forward, one training step, forward after it (within 1e-4)', async (name) => {
    await tf.setBackend('wasm');
    patchWasmKernels();
    const reference = await runOn('cpu', name, 1);
    const wasm = await runOn('wasm', name, 1);
    expect(maxDifference(wasm.before, reference.before), 'forward').toBeLessThan(TOLERANCE);
    expect(maxDifference(wasm.losses, reference.losses), 'losses').toBeLessThan(TOLERANCE);
    expect(maxDifference(wasm.after, reference.after), 'forward after a step').toBeLessThan(TOLERANCE);
  });
});
