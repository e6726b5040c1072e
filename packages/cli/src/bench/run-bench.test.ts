import * as tf from '@tensorflow/tfjs-core';
import { engineInfo } from '@ektm/core';
import { describe, expect, it } from 'vitest';
import { runBench } from './run-bench.js';

// Small batches and two steps: this checks what `ektm bench` reports, not how fast it is (no timing assertions).
describe('runBench', () => {
  it.each(['mmoe', 'ektm', 'ple', 'aitm', 'esmm'] as const)(
    'trains and serves %s on the reference workload and reports the stable JSON shape',
    async (model) => {
      const before = tf.memory().numTensors;
      const lines: string[] = [];
      const result = await runBench({ model, steps: 2, warmup: 1, inferBatches: 2, batchSize: 64, log: (l) => lines.push(l) });
      expect(tf.memory().numTensors).toBe(before);
      expect(Object.keys(result).slice(0, 6)).toEqual([
        'backend',
        'model',
        'trainSamplesPerSec',
        'inferSamplesPerSec',
        'msPerStep',
        'peakRssMB',
      ]);
      expect(result.backend).toBe(tf.getBackend());
      expect(result.model).toBe(model);
      expect(result.threads).toBe(engineInfo().wasmThreads ?? 1);
      for (const key of [
        'trainSamplesPerSec',
        'inferSamplesPerSec',
        'msPerStep',
        'peakRssMB',
        'bestTrainSamplesPerSec',
        'bestInferSamplesPerSec',
      ] as const) {
        expect(Number.isFinite(result[key]) && result[key] > 0, key).toBe(true);
      }
      expect(result.bestTrainSamplesPerSec).toBeGreaterThanOrEqual(result.trainSamplesPerSec * 0.999);
      // 20 fields × 10,000 × 8 embeddings + 4 experts [160→256→128] + 2 gates + 2 towers [128→64→1] (MMoE), the
      // PyTorch reference's count; the other models at the bench sizes have the PyTorch references' counts too.
      const torchParameters: Record<string, number> = { mmoe: 1_914_378, ple: 1_916_242, aitm: 1_814_146, ektm: 2_005_004 };
      if (model in torchParameters) expect(result.parameters).toBe(torchParameters[model]);
      expect(result.tasks).toEqual(model === 'esmm' ? expect.arrayContaining(['ctr', 'cvr']) : ['ctr', 'cvr']);
      expect(result.machine.cores).toBeGreaterThan(0);
      expect(result.machine.cpu.length).toBeGreaterThan(0);
      expect(Number.isFinite(result.lossFirst) && Number.isFinite(result.lossLast)).toBe(true);
      expect(result).toMatchObject({ batchSize: 64, steps: 2, warmup: 1, inferBatches: 2 });
      expect(lines[0]).toContain(`bench ${model}: ${result.parameters} parameters, batch 64`);
    },
  );

  it('profiles a step: every part, the products and their lower bound', async () => {
    const result = await runBench({ model: 'mmoe', steps: 1, warmup: 0, inferBatches: 1, batchSize: 32, profileSteps: 1 });
    const profile = result.profile!;
    expect(Object.keys(profile.parts)).toEqual(['matmul', 'embedding', 'elementwise', 'optimizer', 'rest']);
    expect(profile.parts.matmul).toBeGreaterThan(0);
    // Forward, input and weight gradients of 4 experts [160→256→128], 2 gates, 2 towers [128→64→1], batch 32:
    // 3 × 2 · 32 · (160·1024 + 4·256·128 + 160·8 + 2·(128·64 + 64)) minus the first layer's input gradient, which
    // the embedding needs (so it is there): exactly 3 × the forward.
    const forward = 2 * 32 * (160 * 1024 + 4 * 256 * 128 + 160 * 8 + 2 * (128 * 64 + 64));
    expect(profile.productGflop).toBeGreaterThan((0.9 * (3 * forward)) / 1e9);
    expect(profile.peakGflops).toBeGreaterThan(0);
    expect(profile.lowerBoundMs).toBeGreaterThan(0);
    expect(profile.topKernels.length).toBeGreaterThan(0);
  });

  it('rejects unknown models and non-positive sizes, naming the option', async () => {
    await expect(runBench({ model: 'resnet' })).rejects.toThrow('bench: model "resnet" is not in the registry; use one of single-task,');
    await expect(runBench({ tasks: 9 })).rejects.toThrow('bench: tasks 9 must be an integer from 2 to 8');
    await expect(runBench({ steps: 0 })).rejects.toThrow('bench: steps 0 must be an integer >= 1');
    await expect(runBench({ batchSize: 1.5 })).rejects.toThrow('bench: batchSize 1.5 must be an integer >= 1');
  });
});
