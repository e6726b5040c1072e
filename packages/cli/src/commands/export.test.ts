/** `ektm export` on a saved model: the files, what it prints, --verify, and its usage errors. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { saveModel } from '@ektm/core';
import { loadDataset } from '@ektm/datasets';
import { buildEktm } from '@ektm/model';
import { beforeAll, describe, expect, it } from 'vitest';
import { inProcessCli, scratchFolder } from '../testing/cli-harness.js';

const dir = scratchFolder('ektm-export-');
const cli = inProcessCli(dir);

beforeAll(async () => {
  const data = await loadDataset('synthetic', { simulator: { trainRows: 200, validationRows: 50, testRows: 50 } });
  const model = buildEktm({ features: data.features, tasks: data.tasks, embeddingDim: 4 });
  await saveModel(model, join(dir, 'models/ektm'), { preprocessing: data.preprocessor.toJSON() });
  model.dispose();
});

describe('ektm export', () => {
  it('writes the ONNX graph, its preprocessing contract and a Triton repository, and verifies the graph against predict', async () => {
    const result = await cli([
      'export',
      '--model',
      'models/ektm',
      '--format',
      'onnx',
      '--out',
      'out/onnx',
      '--triton',
      '--name',
      'ranker',
      '--verify',
    ]);
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    expect(result.out).toContain(
      'model.onnx, preprocessing.json, ektm_preprocess.py, triton/ranker/1/model.onnx, triton/ranker/config.pbtxt',
    );
    expect(result.out).toMatch(/graph: opset 17, \d+ nodes, \d+ initializers, [\d.]+ KiB/);
    expect(result.out).toContain('inputs: user_id (int64), user_segment (int64)');
    expect(result.out).toContain('outputs: click (float32), purchase (float32), cart (float32), favorite (float32)');
    const verified = /verified on 256 random rows against predict: max \|difference\| ([\d.e+-]+) \(click/.exec(result.out);
    expect(verified).not.toBeNull();
    expect(Number(verified![1])).toBeLessThanOrEqual(1e-5);
    expect(readFileSync(join(dir, 'out/onnx/triton/ranker/config.pbtxt'), 'utf8')).toContain('max_batch_size: 1024');
    expect(existsSync(join(dir, 'out/onnx/ektm_preprocess.py'))).toBe(true);
  });

  it('sets the Triton batch size, and rejects bad calls with usage errors', async () => {
    const sized = await cli([
      'export',
      '--model',
      'models/ektm',
      '--format',
      'onnx',
      '--out',
      'out/sized',
      '--triton',
      '--max-batch-size',
      '64',
    ]);
    expect(sized.code).toBe(0);
    expect(readFileSync(join(dir, 'out/sized/triton/ektm/config.pbtxt'), 'utf8')).toContain('max_batch_size: 64');
    const format = await cli(['export', '--model', 'models/ektm', '--format', 'tfjs', '--out', 'out/x']);
    expect(format.code).toBe(2);
    expect(format.err).toContain('onnx');
    const noOut = await cli(['export', '--model', 'models/ektm', '--format', 'onnx']);
    expect(noOut.code).toBe(2);
    expect(noOut.err).toContain('--out');
    const batch = await cli(['export', '--model', 'models/ektm', '--format', 'onnx', '--out', 'out/y', '--max-batch-size', '0']);
    expect(batch.code).toBe(2);
    expect(batch.err).toContain('--max-batch-size "0" is not allowed');
  });

  it('refuses to replace a folder that is not an export', async () => {
    mkdirSync(join(dir, 'mine'), { recursive: true });
    writeFileSync(join(dir, 'mine/keep.txt'), 'mine');
    const result = await cli(['export', '--model', 'models/ektm', '--format', 'onnx', '--out', 'mine']);
    expect(result.code).toBe(2);
    expect(result.err).toContain('holds files that are not part of an ONNX export (keep.txt)');
  });
});
