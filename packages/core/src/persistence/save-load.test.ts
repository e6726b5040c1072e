import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import * as tf from '@tensorflow/tfjs-core';
import { loadLayersModel, layers, type LayersModel } from '@tensorflow/tfjs-layers';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  buildMultiTaskModel,
  EKTM_CORE_VERSION,
  fileSystemHandler,
  loadModel,
  loadModelFromUrl,
  Mlp,
  saveModel,
  SharedBottom,
  tableInputs,
  type MultiTaskModel,
} from '../index.js';
import { withSelfChecksum } from './self-checksum.js';
import { smallTable, testFeatures, testTasks } from './test-models.js';
import corePackage from '../../package.json' with { type: 'json' };

function makeModel(seed = 0): MultiTaskModel {
  return buildMultiTaskModel({
    name: 'persisted',
    features: testFeatures,
    tasks: testTasks,
    backbone: (ctx) => new SharedBottom({ tasks: ctx.towerTasks, bottom: { units: [8], normalization: 'batch' }, seed: ctx.seed }),
    blocks: [
      (ctx) =>
        ctx.towerTasks.map(
          (task) => new Mlp({ key: task, units: [6], normalization: 'layer', dropout: 0.2, seed: ctx.seed, name: `mlp_${task}` }),
        ),
    ],
    tower: { units: [4] },
    seed,
    architecture: { kind: 'shared-bottom', note: 'test' },
  });
}

/** Trains a few steps so that weights (and batch-norm moving statistics) are no longer their initial values. */
function train(model: MultiTaskModel): void {
  const table = smallTable(24);
  const inputs = tableInputs(table);
  const y = tf.tensor1d(table.labels.click!);
  const optimizer = tf.train.adam(0.05);
  for (let s = 0; s < 3; s++) {
    optimizer.minimize(() => tf.mean(tf.square(tf.sub(tf.reshape(model.forward(inputs, true)['prob:ctcvr']!, [-1]), y))) as tf.Scalar);
  }
  optimizer.dispose();
  tf.dispose([inputs.categorical, inputs.numeric!, y]);
}

function predictLayers(model: LayersModel, rows: number): Float32Array[] {
  const inputs = tableInputs(smallTable(rows));
  const out = model.predict([inputs.categorical, inputs.numeric!]) as tf.Tensor[];
  const values = out.map((t) => t.dataSync() as Float32Array);
  tf.dispose([...out, inputs.categorical, inputs.numeric!]);
  return values;
}

const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

let root: string;
let original: MultiTaskModel;
let savedDir: string;

beforeAll(async () => {
  original = makeModel(7);
  train(original);
});
afterAll(() => original.dispose());
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'ektm-save-'));
  savedDir = join(root, 'model');
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('saveModel / loadModel', () => {
  it('writes model.json, weights.bin and ektm.json with the spec, preprocessing, versions and checksums', async () => {
    const preprocessing = { vocabularies: { user: ['a', 'b'] }, stats: { price: { mean: 1.5, std: Infinity } } };
    await saveModel(original, savedDir, { preprocessing, extra: { epochs: 3 } });
    expect((await readdir(root)).sort()).toEqual(['model']);
    expect((await readdir(savedDir)).sort()).toEqual(['ektm.json', 'model.json', 'weights.bin']);
    const modelJson = JSON.parse(await readFile(join(savedDir, 'model.json'), 'utf8'));
    expect(modelJson.format).toBe('layers-model');
    expect(modelJson.weightsManifest).toHaveLength(1);
    expect(modelJson.weightsManifest[0].paths).toEqual(['weights.bin']);
    expect(modelJson.weightsManifest[0].weights.map((w: { name: string }) => w.name)).toEqual(
      original.model.weights.map((w) => w.originalName),
    );
    const metadata = JSON.parse(await readFile(join(savedDir, 'ektm.json'), 'utf8'));
    expect(metadata.format).toBe('ektm-saved-model');
    expect(metadata.spec).toEqual(JSON.parse(JSON.stringify(original.spec)));
    expect(metadata.versions).toEqual({ ektmCore: corePackage.version, tfjsCore: tf.version_core, tfjsLayers: '4.22.0' });
    expect(metadata.files['model.json'].sha256).toBe(sha256(await readFile(join(savedDir, 'model.json'))));
    expect(metadata.files['weights.bin'].sha256).toBe(sha256(await readFile(join(savedDir, 'weights.bin'))));
    const { sha256: own, ...rest } = metadata;
    // Over the compact JSON without the key, with Infinity tagged as the file stores it.
    expect(own).toBe(sha256(Buffer.from(JSON.stringify(rest))));
    expect(JSON.stringify(rest)).toContain('"std":{"$number":"Infinity"}');
    expect(Object.keys(metadata).at(-1)).toBe('sha256');

    const loaded = await loadModel(savedDir);
    expect(loaded.preprocessing).toEqual(preprocessing);
    expect(loaded.metadata.extra).toEqual({ epochs: 3 });
    expect(loaded.model.spec).toEqual(original.spec);
    loaded.model.dispose();
  });

  it('the package version recorded equals package.json', () => {
    expect(EKTM_CORE_VERSION).toBe(corePackage.version);
  });

  it('predicts exactly like the original after a round trip (product task, numeric features, batch and layer norm)', async () => {
    await saveModel(original, savedDir);
    const before = tf.memory().numTensors;
    const { model } = await loadModel(savedDir);
    const table = smallTable(37);
    const a = original.predict(table, { batchSize: 10 });
    const b = model.predict(table, { batchSize: 10 });
    expect(Object.keys(b.tasks)).toEqual(['click', 'cvr', 'ctcvr']);
    for (const task of Object.keys(a.tasks)) expect(Array.from(b.tasks[task]!)).toEqual(Array.from(a.tasks[task]!));
    // The loaded model keeps training like the original: same weights, same dropout seeds.
    expect(model.model.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(
      original.model.getWeights().map((w) => Array.from(w.dataSync())),
    );
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('replaces an earlier save as a whole and refuses a directory holding other files', async () => {
    await saveModel(original, savedDir, { extra: { n: 1 } });
    await saveModel(original, savedDir, { extra: { n: 2 } });
    expect((await readdir(root)).sort()).toEqual(['model']);
    const loaded = await loadModel(savedDir);
    expect(loaded.metadata.extra).toEqual({ n: 2 });
    loaded.model.dispose();
    const busy = join(root, 'busy');
    await mkdir(busy);
    await writeFile(join(busy, 'notes.txt'), 'keep me');
    await expect(saveModel(original, busy)).rejects.toThrow(/busy: exists and holds other files \(notes\.txt\)/);
    expect(await readFile(join(busy, 'notes.txt'), 'utf8')).toBe('keep me');
    expect((await readdir(root)).sort()).toEqual(['busy', 'model']);
  });

  it('names the file when one is missing, malformed, of another format or version, or tampered with', async () => {
    await saveModel(original, savedDir);
    const file = (name: string) => join(savedDir, name);
    const pristine = Object.fromEntries(
      await Promise.all(['ektm.json', 'model.json', 'weights.bin'].map(async (n) => [n, await readFile(file(n))] as const)),
    );
    const restore = () => Promise.all(Object.entries(pristine).map(([n, bytes]) => writeFile(file(n), bytes)));

    await expect(loadModel(join(root, 'nowhere'))).rejects.toThrow(/nowhere: no such directory/);
    for (const name of ['ektm.json', 'model.json', 'weights.bin']) {
      await rm(file(name));
      await expect(loadModel(savedDir)).rejects.toThrow(new RegExp(`${name.replace('.', '\\.')}: missing`));
      await restore();
    }
    const weights = new Uint8Array(pristine['weights.bin']!);
    weights[5] = weights[5]! ^ 1;
    await writeFile(file('weights.bin'), weights);
    await expect(loadModel(savedDir)).rejects.toThrow(/weights\.bin: checksum mismatch/);
    await restore();
    await writeFile(file('model.json'), pristine['model.json']!.toString().replace('"layers-model"', '"layers-modex"'));
    await expect(loadModel(savedDir)).rejects.toThrow(/model\.json: checksum mismatch/);
    await restore();
    await writeFile(file('ektm.json'), '{"format": "ektm-saved-model",');
    await expect(loadModel(savedDir)).rejects.toThrow(/ektm\.json: malformed JSON/);
    const metadata = JSON.parse(pristine['ektm.json']!.toString());
    await writeFile(file('ektm.json'), JSON.stringify({ ...metadata, format: 'something-else' }));
    await expect(loadModel(savedDir)).rejects.toThrow(/ektm\.json: not an ektm saved model/);
    await writeFile(file('ektm.json'), JSON.stringify({ ...metadata, version: 2 }));
    await expect(loadModel(savedDir)).rejects.toThrow(/ektm\.json: saved-model version 2 is not supported.*upgrade @ektm\/core/);
    // ektm.json carries a checksum of itself: an edited spec (or vocabulary) is found, a re-indented file is not.
    await writeFile(file('ektm.json'), JSON.stringify({ ...metadata, spec: { ...metadata.spec, name: 'renamed' } }, null, 2));
    await expect(loadModel(savedDir)).rejects.toThrow(/ektm\.json: checksum mismatch \(the file was modified after it was written/);
    await writeFile(file('ektm.json'), JSON.stringify(metadata));
    const reindented = await loadModel(savedDir);
    reindented.model.dispose();
    await restore();
  });

  it('reports malformed model.json and weights that do not fit the topology, with matching checksums', async () => {
    await saveModel(original, savedDir);
    const metadata = JSON.parse(await readFile(join(savedDir, 'ektm.json'), 'utf8'));
    const modelJson = JSON.parse(await readFile(join(savedDir, 'model.json'), 'utf8'));
    /** Writes a modified model.json (and weights.bin) with their checksums updated, as a consistent but wrong save. */
    const writeConsistent = async (json: string, weights?: Uint8Array) => {
      await writeFile(join(savedDir, 'model.json'), json);
      metadata.files['model.json'] = { bytes: Buffer.byteLength(json), sha256: sha256(json) };
      if (weights) {
        await writeFile(join(savedDir, 'weights.bin'), weights);
        metadata.files['weights.bin'] = { bytes: weights.byteLength, sha256: sha256(weights) };
      }
      await writeFile(join(savedDir, 'ektm.json'), JSON.stringify(await withSelfChecksum(metadata)));
    };
    await writeConsistent('{"modelTopology": ');
    await expect(loadModel(savedDir)).rejects.toThrow(/model\.json: malformed JSON/);

    const specs = modelJson.weightsManifest[0].weights as Array<{ name: string; shape: number[] }>;
    const kernel = specs.findIndex((s) => s.name.endsWith('bottom0/kernel'));
    const reshaped = structuredClone(modelJson);
    reshaped.weightsManifest[0].weights[kernel].shape = [...specs[kernel]!.shape].reverse();
    await writeConsistent(JSON.stringify(reshaped));
    await expect(loadModel(savedDir)).rejects.toThrow(
      /model\.json: weight ".*bottom0\/kernel" has shape \[8,\d+\] in the manifest, the model expects \[\d+,8\]/,
    );

    const fewer = structuredClone(modelJson);
    const dropped = fewer.weightsManifest[0].weights.pop();
    const bytes = new Uint8Array(await readFile(join(savedDir, 'weights.bin')));
    const droppedBytes = dropped.shape.reduce((a: number, b: number) => a * b, 1) * 4;
    await writeConsistent(JSON.stringify(fewer), bytes.slice(0, bytes.byteLength - droppedBytes));
    await expect(loadModel(savedDir)).rejects.toThrow(
      new RegExp(`lists ${specs.length - 1} weights, the model has ${specs.length}; missing: ${dropped.name}`),
    );

    await writeConsistent(JSON.stringify(modelJson), bytes.slice(0, bytes.byteLength - 4));
    await expect(loadModel(savedDir)).rejects.toThrow(
      /weights\.bin: holds \d+ bytes, but the weights manifest in .*model\.json describes \d+/,
    );
  });

  it('names an unregistered layer class and the packages to import', async () => {
    await saveModel(original, savedDir);
    const metadata = JSON.parse(await readFile(join(savedDir, 'ektm.json'), 'utf8'));
    const json = (await readFile(join(savedDir, 'model.json'), 'utf8')).replaceAll('"EktmSharedBottom"', '"EktmNotImported"');
    await writeFile(join(savedDir, 'model.json'), json);
    metadata.files['model.json'] = { bytes: Buffer.byteLength(json), sha256: sha256(json) };
    await writeFile(join(savedDir, 'ektm.json'), JSON.stringify(await withSelfChecksum(metadata)));
    await expect(loadModel(savedDir)).rejects.toThrow(
      /model\.json: unknown layer class "EktmNotImported" \(layer ".*"\).*@ektm\/baselines.*@ektm\/router|model\.json: unknown layer class "EktmNotImported" \(layer ".*"\).*@ektm\/router.*@ektm\/baselines/s,
    );
  });

  it('fileSystemHandler saves and loads a plain tfjs model, atomically replacing the directory', async () => {
    const input = layers.dense({ units: 3, inputShape: [4], kernelInitializer: 'glorotUniform' });
    const { sequential } = await import('@tensorflow/tfjs-layers');
    const plain = sequential({ layers: [input] });
    await plain.save(fileSystemHandler(savedDir));
    expect((await readdir(savedDir)).sort()).toEqual(['model.json', 'weights.bin']);
    await plain.save(fileSystemHandler(savedDir));
    expect(await readdir(root)).toEqual(['model']);
    const loaded = await loadLayersModel(fileSystemHandler(savedDir));
    const x = tf.tensor2d([[1, 2, 3, 4]]);
    const [p, q] = [plain.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor];
    expect(Array.from(q.dataSync())).toEqual(Array.from(p.dataSync()));
    tf.dispose([x, p, q]);
    plain.dispose();
    loaded.dispose();
    await expect(loadModel(savedDir)).rejects.toThrow(/ektm\.json: missing; .* is not a model saved by saveModel/);
  });
});

describe('loading over HTTP', () => {
  let server: Server;
  let baseUrl: string;
  let served: string;

  beforeAll(async () => {
    served = await mkdtemp(join(tmpdir(), 'ektm-http-'));
    await saveModel(original, join(served, 'model'), { preprocessing: { vocab: ['x'] } });
    // The handler's promise is awaited by nobody: it answers 404 itself on any failure.
    const serve = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
      const name = (request.url ?? '/').split('?')[0]!.replace(/^\/model\//, '');
      try {
        if (!/^[\w.-]+$/.test(name)) throw new Error('bad name');
        const body = await readFile(join(served, 'model', name));
        response.writeHead(200, { 'content-type': name.endsWith('.json') ? 'application/json' : 'application/octet-stream' });
        response.end(body);
      } catch {
        response.writeHead(404);
        response.end();
      }
    };
    server = createServer((request, response) => void serve(request, response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    baseUrl = `http://127.0.0.1:${address.port}/model`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await rm(served, { recursive: true, force: true });
  });

  it("tfjs' standard loadLayersModel(url) reads the saved directory and predicts identically", async () => {
    const loaded = await loadLayersModel(`${baseUrl}/model.json`);
    const expected = predictLayers(original.model, 29);
    const actual = predictLayers(loaded, 29);
    expect(actual.map((a) => Array.from(a))).toEqual(expected.map((e) => Array.from(e)));
    loaded.dispose();
  });

  it('loadModelFromUrl fetches ektm.json and the model, verified, and predicts identically', async () => {
    const { model, preprocessing, metadata } = await loadModelFromUrl(baseUrl);
    expect(preprocessing).toEqual({ vocab: ['x'] });
    expect(metadata.spec).toEqual(original.spec);
    const table = smallTable(29);
    const a = original.predict(table);
    const b = model.predict(table);
    for (const task of Object.keys(a.tasks)) expect(Array.from(b.tasks[task]!)).toEqual(Array.from(a.tasks[task]!));
    model.dispose();
    await expect(loadModelFromUrl(`${baseUrl.replace('/model', '/missing')}/`)).rejects.toThrow(/missing\/ektm\.json: HTTP 404/);
  });
});
