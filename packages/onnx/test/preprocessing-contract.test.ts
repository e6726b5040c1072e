/**
 * The preprocessing contract end to end: raw records encoded by the Python reference encoder (run with the
 * machine's python3 on the exported `ektm_preprocess.py` and `preprocessing.json`) are exactly what ektm's Node
 * preprocessor encodes, for vocabularies, hash buckets, numeric transforms, buckets and every kind of missing value;
 * and the exported graph scores the Python-encoded rows as `predict` scores the Node-encoded ones.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildMultiTaskModel, loadModel, ModelFileError, saveModel, SharedBottom, type MultiTaskModel } from '@ektm/core';
import { loadDataset, Preprocessor, type LoadedDataset, type RawRecord } from '@ektm/datasets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportOnnx, onnxFeeds, onnxPreprocessing, runOnnx, writeOnnxExport, type OnnxFeed, type WrittenOnnxExport } from '../src/index.js';
import { python, pythonFailure } from './python.js';
import { tempFolder, trainBriefly } from './fixtures.js';

const folder = tempFolder('ektm-onnx-contract-');
afterAll(() => folder.remove());

const header = 'user,query,price,age,score,visits,click,buy';
const trainLines = [
  'alice,red shoes,12.5,34,0.3,3,1,1',
  'bob,blue hat,3,51,-1.2,0,1,0',
  'carol,red shoes,250,19,NA,12,0,0',
  'alice,socks,0.99,,2.5,1,1,0',
  'dave,blue hat,18,42,0.1,?,0,0',
  'Ünïcødé ☃,handbag,75.25,28,1.7,7,1,1',
  'bob,red shoes,NA,63,-0.4,2,0,0',
  'carol,umbrella,9,37,0.0,5,1,0',
];

/** Records as a service gets them: strings, numbers, booleans, nulls, absent keys, padding and unknown values. */
const records: RawRecord[] = [
  { user: 'alice', query: 'red shoes', price: '12.5', age: '34', score: '0.3', visits: '3' },
  { user: '  bob ', query: 'blue hat', price: 3, age: 51, score: -1.2, visits: 0 },
  { user: 'zed', query: 'never seen', price: '1e3', age: '-5', score: '.5', visits: '+2' },
  { user: 'NA', query: '', price: null, age: undefined, score: '?', visits: 'NA' },
  {},
  { user: 'Ünïcødé ☃', query: '☃ snowman 🎿', price: '-7.5', age: '99', score: '2.5e1', visits: '5.' },
  { user: 42, query: true, price: 1e-7, age: 1e21, score: false, visits: 123456789 },
  { user: '\u00a0carol\ufeff', query: 'socks\t', price: '0', age: '0', score: '-0', visits: '1E2' },
];

let data: LoadedDataset;
let model: MultiTaskModel;
let written: WrittenOnnxExport;

beforeAll(async () => {
  writeFileSync(join(folder.dir, 'train.csv'), `${header}\n${trainLines.join('\n')}\n`);
  data = await loadDataset(
    {
      name: 'contract',
      format: { delimiter: ',', missing: ['NA', '?'] },
      files: { train: 'train.csv', validation: 'train.csv' },
      features: [
        { column: 'user', type: 'categorical' },
        { column: 'query', type: 'categorical', hashBuckets: 13 },
        { column: 'price', type: 'numeric', transform: ['log1p', 'standardise'] },
        { column: 'age', type: 'numeric', transform: 'buckets', boundaries: [20, 30, 40, 60] },
        { column: 'score', type: 'numeric', transform: 'standardise' },
        { column: 'visits', name: 'log_visits', type: 'numeric', transform: ['log1p', 'standardise', 'buckets'], buckets: 3 },
      ],
      tasks: [
        { name: 'click', column: 'click' },
        { name: 'buy', column: 'buy', parent: 'click' },
      ],
    },
    { baseDir: folder.dir },
  );
  model = buildMultiTaskModel({
    name: 'contract',
    features: data.features,
    tasks: data.tasks,
    embeddingDim: 4,
    backbone: (ctx) => new SharedBottom({ tasks: ctx.towerTasks, bottom: { units: [8] }, seed: ctx.seed }),
    tower: { units: [4] },
  });
  await trainBriefly(model, data.splits.train);
  await saveModel(model, join(folder.dir, 'model'), { preprocessing: data.preprocessor.toJSON() });
  const loaded = await loadModel(join(folder.dir, 'model'));
  written = await writeOnnxExport(loaded, join(folder.dir, 'onnx'));
  loaded.model.dispose();
});

afterAll(() => model?.dispose());

function pythonEncode(input: readonly RawRecord[]): Record<string, number[]> {
  const lines = input.map((r) => JSON.stringify(r)).join('\n');
  return JSON.parse(python([join(folder.dir, 'onnx/ektm_preprocess.py'), join(folder.dir, 'onnx/preprocessing.json')], lines));
}

describe('preprocessing.json', () => {
  it('describes every graph input: its record key, dtype and encoding', () => {
    const contract = JSON.parse(readFileSync(join(folder.dir, 'onnx/preprocessing.json'), 'utf8'));
    expect(contract).toMatchObject({
      format: 'ektm-onnx-preprocessing',
      version: 1,
      model: 'model.onnx',
      dataset: 'contract',
      missing: ['NA', '?'],
    });
    expect(contract.outputs).toEqual(['click', 'buy']);
    const byName = Object.fromEntries(contract.inputs.map((i: { name: string }) => [i.name, i]));
    expect(contract.inputs.map((i: { name: string }) => i.name)).toEqual(written.exported.inputs.map((i) => i.name));
    expect(byName.user).toMatchObject({ dtype: 'int64', recordKey: 'user', encoding: { kind: 'vocabulary' } });
    expect(byName.query).toMatchObject({ dtype: 'int64', recordKey: 'query', vocabularySize: 14, encoding: { kind: 'hash', buckets: 13 } });
    expect(byName.age).toMatchObject({
      dtype: 'int64',
      vocabularySize: 6,
      encoding: { kind: 'buckets', transforms: [], boundaries: [20, 30, 40, 60] },
    });
    expect(byName.log_visits).toMatchObject({ dtype: 'int64', recordKey: 'visits', encoding: { kind: 'buckets' } });
    expect(byName.log_visits.encoding.transforms.map((t: { kind: string }) => t.kind)).toEqual(['log1p', 'standardise']);
    expect(byName.price).toMatchObject({ dtype: 'float32', encoding: { kind: 'numeric', fill: 0 } });
    expect(byName.price.encoding.transforms.map((t: { kind: string }) => t.kind)).toEqual(['log1p', 'standardise']);
  });

  it('the Python reference encoder encodes raw records exactly as the Node preprocessor', () => {
    const fromPython = pythonEncode(records);
    const table = Preprocessor.fromJSON(data.preprocessor.toJSON()).encodeRows(records, { missingColumns: 'allow' });
    const fromNode = onnxFeeds(written.exported, table);
    for (const input of written.exported.inputs) {
      const node = Array.from(fromNode[input.name]! as ArrayLike<number | bigint>, Number);
      expect(fromPython[input.name], input.name).toEqual(node);
    }
    // The records reach every branch: unknown and missing ids, hashed ids, fills and both ends of the buckets.
    expect(fromPython.user).toContain(0);
    expect(new Set(fromPython.query).size).toBeGreaterThan(4);
    expect(new Set(fromPython.age)).toEqual(new Set([0, 1, 3, 4, 5]));
  });

  it('with --v2, the Python encoder writes a KServe v2 / Triton request of [rows, 1] tensors', () => {
    const fromPython = pythonEncode(records);
    const request = JSON.parse(
      python(
        [join(folder.dir, 'onnx/ektm_preprocess.py'), join(folder.dir, 'onnx/preprocessing.json'), '--v2'],
        records.map((r) => JSON.stringify(r)).join('\n'),
      ),
    );
    expect(request.outputs).toEqual([{ name: 'click' }, { name: 'buy' }]);
    expect(request.inputs).toEqual(
      written.exported.inputs.map((input) => ({
        name: input.name,
        shape: [records.length, 1],
        datatype: input.dataType === 'int64' ? 'INT64' : 'FP32',
        data: fromPython[input.name],
      })),
    );
  });

  it('the graph scores Python-encoded rows as predict scores Node-encoded ones', async () => {
    const fromPython = pythonEncode(records);
    const feeds: Record<string, OnnxFeed> = Object.fromEntries(
      written.exported.inputs.map((input) => [
        input.name,
        input.dataType === 'int64' ? BigInt64Array.from(fromPython[input.name]!, BigInt) : Float32Array.from(fromPython[input.name]!),
      ]),
    );
    const scores = await runOnnx(written.exported.model, feeds);
    const expected = model.predict(data.preprocessor.encodeRows(records, { missingColumns: 'allow' })).tasks;
    for (const task of ['click', 'buy']) {
      const diff = Math.max(...expected[task]!.map((p, i) => Math.abs(p - scores[task]![i]!)));
      expect(diff, task).toBeLessThanOrEqual(1e-5);
    }
  });

  it('the Python encoder names the row and column of a value that is not a number, as the Node preprocessor does', () => {
    const bad = [records[0]!, { ...records[0]!, price: '12,5' }];
    const failure = pythonFailure(
      [join(folder.dir, 'onnx/ektm_preprocess.py'), join(folder.dir, 'onnx/preprocessing.json')],
      bad.map((r) => JSON.stringify(r)).join('\n'),
    );
    expect(failure.status).toBe(1);
    expect(failure.stderr).toContain("row 2: column 'price': '12,5' is not a number");
    expect(() => data.preprocessor.encodeRows(bad)).toThrow(/line 2.*price|price.*line 2/s);
  });

  it('a model saved without preprocessing gets a contract of encoded inputs, which the Python encoder passes through', async () => {
    const exported = exportOnnx(model);
    const contract = onnxPreprocessing(model.spec, exported, null);
    expect(contract.inputs.map((i) => i.encoding.kind)).toEqual(exported.inputs.map((i) => (i.dataType === 'int64' ? 'id' : 'value')));
    const path = join(folder.dir, 'encoded.json');
    writeFileSync(path, JSON.stringify(contract));
    const encoded = JSON.parse(
      python(
        [join(folder.dir, 'onnx/ektm_preprocess.py'), path],
        JSON.stringify({ user: 3, query: 99, price: 0.25, age: 2, score: -1, log_visits: 1 }),
      ),
    );
    expect(encoded).toMatchObject({ user: [3], query: [0], price: [0.25], age: [2], score: [-1], log_visits: [1] });
  });

  it('refuses preprocessing that does not produce the model features', () => {
    const exported = exportOnnx(model);
    const state = data.preprocessor.toJSON();
    const renamed = { ...state, features: state.features.map((f, i) => (i === 0 ? { ...f, name: 'someone' } : f)) };
    expect(() => onnxPreprocessing(model.spec, exported, renamed)).toThrow(ModelFileError);
    expect(() => onnxPreprocessing(model.spec, exported, renamed)).toThrow(/someone/);
    const shrunk = {
      ...state,
      features: state.features.map((f) => (f.kind === 'hash' ? { ...f, buckets: 5 } : f)),
    };
    expect(() => onnxPreprocessing(model.spec, exported, shrunk)).toThrow(
      /"query" has 14 ids in the model and 6 in the saved preprocessing/,
    );
  });
});
