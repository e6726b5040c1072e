/** The export folder: its files, the Triton model repository, and replacing an earlier export only. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildMultiTaskModel, ConfigError, SharedBottom } from '@ektm/core';
import { afterAll, describe, expect, it } from 'vitest';
import { describeOnnxModel, pythonReferenceEncoder, tritonModelConfig, tritonModelName, writeOnnxExport } from '../src/index.js';
import { tempFolder } from './fixtures.js';

const folder = tempFolder('ektm-onnx-write-');
afterAll(() => folder.remove());

const model = buildMultiTaskModel({
  name: 'esmm/tiny v1',
  features: [
    { name: 'item', type: 'categorical', vocabularySize: 4 },
    { name: 'price', type: 'numeric' },
  ],
  tasks: [{ name: 'click' }, { name: 'cvr', parent: 'click' }, { name: 'ctcvr', product: ['click', 'cvr'], label: 'cvr' }],
  backbone: (ctx) => new SharedBottom({ tasks: ctx.towerTasks, bottom: { units: [3] }, seed: ctx.seed }),
});
afterAll(() => model.dispose());

describe('writeOnnxExport', () => {
  it('writes model.onnx, preprocessing.json, the reference encoder and a Triton model repository', async () => {
    const dir = join(folder.dir, 'export');
    const written = await writeOnnxExport({ model, preprocessing: null }, dir, { triton: { maxBatchSize: 64 } });
    expect(written.tritonModel).toBe('esmm_tiny_v1');
    expect(written.files).toEqual([
      'model.onnx',
      'preprocessing.json',
      'ektm_preprocess.py',
      'triton/esmm_tiny_v1/1/model.onnx',
      'triton/esmm_tiny_v1/config.pbtxt',
    ]);
    const onnx = readFileSync(join(dir, 'model.onnx'));
    expect(describeOnnxModel(onnx).outputs).toEqual(['click', 'cvr', 'ctcvr']);
    expect(readFileSync(join(dir, 'triton/esmm_tiny_v1/1/model.onnx')).equals(onnx)).toBe(true);
    expect(readFileSync(join(dir, 'ektm_preprocess.py'), 'utf8')).toBe(await pythonReferenceEncoder());
    expect(JSON.parse(readFileSync(join(dir, 'preprocessing.json'), 'utf8'))).toMatchObject({
      modelName: 'esmm/tiny v1',
      outputs: ['click', 'cvr', 'ctcvr'],
    });
    expect(readFileSync(join(dir, 'triton/esmm_tiny_v1/config.pbtxt'), 'utf8')).toBe(
      [
        'name: "esmm_tiny_v1"',
        'platform: "onnxruntime_onnx"',
        'max_batch_size: 64',
        'input [',
        '  {\n    name: "item"\n    data_type: TYPE_INT64\n    dims: [ 1 ]\n    reshape: { shape: [ ] }\n  },',
        '  {\n    name: "price"\n    data_type: TYPE_FP32\n    dims: [ 1 ]\n    reshape: { shape: [ ] }\n  }',
        ']',
        'output [',
        '  {\n    name: "click"\n    data_type: TYPE_FP32\n    dims: [ 1 ]\n    reshape: { shape: [ ] }\n  },',
        '  {\n    name: "cvr"\n    data_type: TYPE_FP32\n    dims: [ 1 ]\n    reshape: { shape: [ ] }\n  },',
        '  {\n    name: "ctcvr"\n    data_type: TYPE_FP32\n    dims: [ 1 ]\n    reshape: { shape: [ ] }\n  }',
        ']',
        'dynamic_batching {\n  max_queue_delay_microseconds: 100\n}',
        '',
      ].join('\n'),
    );
  });

  it('replaces an earlier export, and refuses a folder that holds anything else', async () => {
    const dir = join(folder.dir, 'again');
    await writeOnnxExport({ model }, dir, { triton: true });
    expect(existsSync(join(dir, 'triton'))).toBe(true);
    await writeOnnxExport({ model }, dir);
    expect(existsSync(join(dir, 'triton'))).toBe(false);
    const mine = join(folder.dir, 'mine');
    mkdirSync(mine);
    writeFileSync(join(mine, 'notes.txt'), 'keep me');
    await expect(writeOnnxExport({ model }, mine)).rejects.toThrow(ConfigError);
    await expect(writeOnnxExport({ model }, mine)).rejects.toThrow(/holds files that are not part of an ONNX export \(notes.txt\)/);
    expect(readFileSync(join(mine, 'notes.txt'), 'utf8')).toBe('keep me');
  });
});

describe('the Triton configuration', () => {
  it('declares diagnostics by their shape, sets instance groups and checks its options', () => {
    const exported = {
      inputs: [{ name: 'a"b', dataType: 'int64' as const, shape: ['batch'] }],
      outputs: [{ name: 'diag:gates', dataType: 'float32' as const, shape: ['batch', 2, 4] }],
    };
    const text = tritonModelConfig(exported as never, 'm', { instanceKind: 'gpu', instanceCount: 2, maxQueueDelayMicroseconds: 0 });
    expect(text).toContain('name: "a\\"b"');
    expect(text).toContain('    name: "diag:gates"\n    data_type: TYPE_FP32\n    dims: [ 2, 4 ]\n  }');
    expect(text).toContain('instance_group [\n  {\n    count: 2\n    kind: KIND_GPU\n  }\n]');
    expect(text).toContain('max_queue_delay_microseconds: 0');
    expect(() => tritonModelConfig(exported as never, 'm', { maxBatchSize: 0 })).toThrow(/maxBatchSize: 0 must be an integer ≥ 1/);
    expect(tritonModelName('ektm')).toBe('ektm');
    expect(tritonModelName('')).toBe('model');
  });
});
