/**
 * The onnx engine: the saved model exported to one ONNX graph in memory and run by onnxruntime (CPU provider)
 * behind the same server, predicting what the tfjs engine predicts.
 */
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadServedModel, PredictionServer } from '../src/index.js';
import { saveTinyModel, tinyInstances } from './tiny-model.js';

let dir: string;
beforeAll(async () => {
  dir = await saveTinyModel('tiny');
});
afterAll(() => {
  if (dir) rmSync(dirname(dir), { recursive: true, force: true });
});

async function predict(server: PredictionServer, instances: unknown[]) {
  const response = await fetch(`${server.url}/v1/models/tiny:predict`, { method: 'POST', body: JSON.stringify({ instances }) });
  return { status: response.status, body: (await response.json()) as { predictions?: Array<Record<string, number>>; error?: string } };
}

describe('the onnx engine', () => {
  it('serves the same probabilities as the tfjs engine (1e-5) through the same protocol', async () => {
    const tfjs = await PredictionServer.start({ modelDir: dir, port: 0 });
    const onnx = await PredictionServer.start({ modelDir: dir, port: 0, engine: 'onnx', threads: 1 });
    try {
      expect(onnx.model.engine.runtime).toMatch(/^onnxruntime-node 1\.\d+\.\d+ \(cpu, 1 thread; ONNX opset \d+\)$/);
      expect(onnx.model.version).toBe(tfjs.model.version);
      expect(onnx.model.tasks).toEqual(tfjs.model.tasks);
      const model = (await (await fetch(`${onnx.url}/v1/models/tiny`)).json()) as { engine: string };
      expect(model.engine).toBe('onnx');
      const instances = tinyInstances(onnx.model.fields, 100);
      const [a, b] = await Promise.all([predict(tfjs, instances), predict(onnx, instances)]);
      expect([a.status, b.status]).toEqual([200, 200]);
      let max = 0;
      a.body.predictions!.forEach((row, i) => {
        for (const task of onnx.model.tasks) max = Math.max(max, Math.abs(row[task]! - b.body.predictions![i]![task]!));
      });
      expect(max).toBeLessThanOrEqual(1e-5);
      // Single rows, concurrently: micro-batched in front of onnxruntime too.
      const singles = await Promise.all(instances.slice(0, 30).map((instance) => predict(onnx, [instance])));
      singles.forEach((s, i) => expect(s.body.predictions![0]).toEqual(b.body.predictions![i]));
      const bad = await predict(onnx, [{ ...instances[0]!, item_price: 'x' }]);
      expect([bad.status, bad.body.error]).toEqual([400, 'instances[0].item_price: must be a number or null, got the string "x"']);
    } finally {
      await Promise.all([tfjs.stop(), onnx.stop()]);
    }
  });

  it('refuses a bad thread count and an unknown engine with the key', async () => {
    await expect(loadServedModel(dir, { engine: 'onnx', threads: 0 })).rejects.toThrow('threads is 0; it must be an integer >= 1');
    await expect(loadServedModel(dir, { engine: 'torch' })).rejects.toThrow('engine "torch" is not available; use one of tfjs, onnx');
  });
});
