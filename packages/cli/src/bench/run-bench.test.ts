import * as tf from '@tensorflow/tfjs-core';
import { engineInfo } from '@ektm/core';
import { describe, expect, it } from 'vitest';
import { runBench } from './run-bench.js';

// Small batches and two steps: this checks what `ektm bench` reports, not how fast it is (no timing assertions).
describe('runBench', () => {
  it.each(['mmoe', 'ektm'] as const)('trains and serves the %s reference model and reports the stable JSON shape', async (model) => {
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
    // 20 fields × 10,000 × 8 embeddings + 4 experts [160→256→128] + 2 gates + 2 towers [128→64→1] (MMoE).
    if (model === 'mmoe') expect(result.parameters).toBe(1_914_378);
    else expect(result.parameters).toBeGreaterThan(1_914_378);
    expect(Number.isFinite(result.lossFirst) && Number.isFinite(result.lossLast)).toBe(true);
    expect(result).toMatchObject({ batchSize: 64, steps: 2, warmup: 1, inferBatches: 2 });
    expect(lines[0]).toContain(`bench ${model}: ${result.parameters} parameters, batch 64`);
  });

  it('rejects unknown models and non-positive sizes, naming the option', async () => {
    await expect(runBench({ model: 'resnet' as 'mmoe' })).rejects.toThrow('bench: model "resnet" is not allowed; use mmoe, ektm');
    await expect(runBench({ steps: 0 })).rejects.toThrow('bench: steps 0 must be an integer >= 1');
    await expect(runBench({ batchSize: 1.5 })).rejects.toThrow('bench: batchSize 1.5 must be an integer >= 1');
  });
});
