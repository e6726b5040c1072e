// Every model of the zoo computes on the webgpu backend what it computes on the cpu backend: the forward pass, one
// training step of the trainer's own TrainStep (losses and the forward after it), within 1e-3; and EKTM trains an
// epoch on webgpu and predicts what the cpu backend predicts. Tiny models, since CI runs this on SwiftShader, a
// software GPU (see webgpu-test-backend.ts for when it skips and when a skip is a failure).
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { MODELS } from '@ektm/cli';
import { describeAdapter, type GpuAdapterInfo } from '@ektm/engine';
import { maxDifference, runOn, type Run } from '../parity/zoo-parity-run.js';
import { useWebGpu } from './webgpu-test-backend.js';

const TOLERANCE = 1e-3;

const adapter: GpuAdapterInfo | undefined = await useWebGpu();
if (adapter) console.log(`webgpu parity on ${describeAdapter(adapter)}`);

afterAll(async () => {
  await tf.setBackend('cpu');
});

describe.skipIf(!adapter)('webgpu computes what the cpu backend computes (every model of the zoo)', () => {
  it.each(MODELS.names())('%s: forward, one training step, forward after it (within 1e-3)', async (name) => {
    const reference = await runOn('cpu', name, 1);
    const gpu = await runOn('webgpu', name, 1);
    expect(maxDifference(gpu.before, reference.before), 'forward').toBeLessThan(TOLERANCE);
    expect(maxDifference(gpu.losses, reference.losses), 'losses').toBeLessThan(TOLERANCE);
    expect(maxDifference(gpu.after, reference.after), 'forward after a step').toBeLessThan(TOLERANCE);
  });

  it('EKTM trains an epoch (8 batches) on webgpu and predicts what the cpu backend predicts', async () => {
    const reference = await runOn('cpu', 'ektm', 8, 8);
    const gpu = await runOn('webgpu', 'ektm', 8, 8);
    const total = (run: Run) => run.losses.map((l) => l[l.length - 1]!);
    // It learns: the last steps' loss is below the first ones' (the same batches come round once).
    expect(total(gpu).at(-1)! + total(gpu).at(-2)!).toBeLessThan(total(gpu)[0]! + total(gpu)[1]!);
    expect(maxDifference(gpu.losses, reference.losses), 'losses').toBeLessThan(TOLERANCE);
    expect(maxDifference(gpu.after, reference.after), 'predictions after the epoch').toBeLessThan(TOLERANCE);
  });
});
