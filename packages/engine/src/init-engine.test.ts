import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { BACKEND_CANDIDATES, describeFailure, isNotInstalled } from './backend-candidates.js';
import type { BackendCandidate } from './backend-candidates.js';
import { ENGINE_BACKENDS, parseEngineBackend } from './engine-options.js';
import type { EngineBackend } from './engine-options.js';
import { engineInfo, initEngine } from './init-engine.js';
import { patchedKernels } from './kernel-patches.js';
import { selectBackend } from './select-backend.js';
import { installedWasmDirectory } from './wasm-binaries.js';

const savedEnv = { backend: process.env.EKTM_BACKEND, quiet: process.env.EKTM_QUIET };
/** When the suite runs with EKTM_BACKEND set, setup.ts did not pick automatically: skip what assumes it did. */
const forcedByEnv = Boolean(savedEnv.backend);

function restoreEnv(name: 'EKTM_BACKEND' | 'EKTM_QUIET', value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

afterEach(() => {
  restoreEnv('EKTM_BACKEND', savedEnv.backend);
  restoreEnv('EKTM_QUIET', savedEnv.quiet);
});

afterAll(async () => {
  await initEngine({ backend: 'wasm', quiet: true });
});

/** What tfjs-node throws when installed with --ignore-scripts (its native addon was never built). */
const MISSING_BINDING = new Error(
  'The Node.js native addon module (tfjs_binding.node) can not be found at path: ' +
    '/app/node_modules/@tensorflow/tfjs-node/lib/napi-v8/tfjs_binding.node. \n' +
    "Please run command 'npm rebuild @tensorflow/tfjs-node build-addon-from-source' to rebuild the native addon module.",
);

function candidate(backend: EngineBackend): BackendCandidate {
  return BACKEND_CANDIDATES.find((c) => c.backend === backend)!;
}

describe('initEngine on a machine without the native packages', () => {
  it.skipIf(forcedByEnv)('picks wasm, says why, and installs the wasm patches (test-support/setup.ts ran it)', () => {
    const info = engineInfo();
    expect(info.backend).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(info.tfjsVersion).toBe(tf.version_core);
    expect(info.attempts.map((a) => a.backend)).toEqual(['tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm']);
    expect(info.attempts[0].error).toMatch(/@tensorflow\/tfjs-node-gpu is not installed \(npm install @tensorflow\/tfjs-node-gpu/);
    // webgpu is a devDependency here; on a machine without a GPU (or with only a software one) auto passes it over.
    expect(info.attempts[1].error).toMatch(
      /^webgpu is (not installed|installed, but (no GPU device|the only adapter is .* a software renderer))/,
    );
    expect(info.attempts[2].error).toBe('@tensorflow/tfjs-node is not installed (npm install @tensorflow/tfjs-node)');
    expect(info.attempts[3].error).toBeUndefined();
    expect(info.reason).toMatch(
      /^first that works of tensorflow-gpu, webgpu, tensorflow, wasm, cpu; tensorflow-gpu: .*; webgpu: .*; tensorflow: /,
    );
    expect(patchedKernels('wasm')).toEqual([
      'UnsortedSegmentSum',
      'BatchMatMul',
      '_FusedMatMul',
      'Identity',
      'Unpack',
      'Sum',
      'GatherV2',
      'SplitV',
      'Transpose',
      'Cast',
      'Neg',
      'Square',
      'Step',
      'ClipByValue',
      'Relu',
      'Sigmoid',
      'Add',
      'Sub',
      'Multiply',
      'RealDiv',
    ]);
  });

  it.skipIf(forcedByEnv)('is idempotent: the same engine again, and back on it after a manual switch', async () => {
    const first = engineInfo();
    await tf.setBackend('cpu');
    const again = await initEngine();
    expect(again).toEqual(first);
    expect(tf.getBackend()).toBe('wasm');
    // Concurrent callers share one result.
    const all = await Promise.all([initEngine(), initEngine({ backend: 'wasm' }), initEngine()]);
    all.forEach((info) => expect(info.backend).toBe('wasm'));
  });

  it('initEngine({ backend: "tensorflow" }) fails naming @tensorflow/tfjs-node and how to install it; the engine stays', async () => {
    const running = engineInfo().backend;
    await expect(initEngine({ backend: 'tensorflow' })).rejects.toThrow(
      "initEngine({ backend: 'tensorflow' }): @tensorflow/tfjs-node is not installed (npm install @tensorflow/tfjs-node)",
    );
    expect(tf.getBackend()).toBe(running);
    expect(engineInfo().backend).toBe(running);
  });

  it('EKTM_BACKEND=tensorflow fails the same way', async () => {
    const running = tf.getBackend();
    process.env.EKTM_BACKEND = 'tensorflow';
    await expect(initEngine()).rejects.toThrow(
      /^EKTM_BACKEND=tensorflow: @tensorflow\/tfjs-node is not installed \(npm install @tensorflow\/tfjs-node\)/,
    );
    expect(tf.getBackend()).toBe(running);
  });

  it('EKTM_BACKEND=tensorflow-gpu names @tensorflow/tfjs-node-gpu and CUDA', async () => {
    process.env.EKTM_BACKEND = 'tensorflow-gpu';
    await expect(initEngine()).rejects.toThrow(
      /@tensorflow\/tfjs-node-gpu is not installed \(npm install @tensorflow\/tfjs-node-gpu; it needs CUDA/,
    );
  });

  it('an invalid EKTM_BACKEND or backend option names the allowed values', async () => {
    process.env.EKTM_BACKEND = 'gpu';
    await expect(initEngine()).rejects.toThrow(
      'EKTM_BACKEND="gpu": not a backend; use one of tensorflow-gpu, webgpu, tensorflow, wasm, cpu',
    );
    delete process.env.EKTM_BACKEND;
    await expect(initEngine({ backend: 'webgl' as EngineBackend })).rejects.toThrow(
      /use one of tensorflow-gpu, webgpu, tensorflow, wasm, cpu/,
    );
    expect(parseEngineBackend('')).toBeUndefined();
    expect(parseEngineBackend(' cpu ')).toBe('cpu');
    expect(ENGINE_BACKENDS).toEqual(['tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm', 'cpu']);
  });

  it('switches when another working backend is forced, printing one line unless quiet', async () => {
    await initEngine({ backend: 'wasm', quiet: true });
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      process.env.EKTM_BACKEND = 'cpu';
      const info = await initEngine();
      expect(info).toMatchObject({ backend: 'cpu', reason: 'forced by EKTM_BACKEND=cpu', attempts: [{ backend: 'cpu' }] });
      expect(tf.getBackend()).toBe('cpu');
      expect(patchedKernels('cpu')).toEqual(['UnsortedSegmentSum']);
      const lines = write.mock.calls.map((c) => String(c[0]));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^ektm: TensorFlow\.js backend cpu \(tfjs 4\.\d+\.\d+\), forced by EKTM_BACKEND=cpu\. .*EKTM_QUIET=1/);
      expect(lines[0].trimEnd()).not.toContain('\n');

      process.env.EKTM_QUIET = '1';
      delete process.env.EKTM_BACKEND;
      const back = await initEngine({ backend: 'wasm' });
      expect(back).toMatchObject({ backend: 'wasm', reason: "forced by initEngine({ backend: 'wasm' })" });
      expect(write.mock.calls).toHaveLength(1); // EKTM_QUIET=1
    } finally {
      write.mockRestore();
    }
    expect(tf.getBackend()).toBe('wasm');
  });
});

describe('selectBackend falls through any failure', () => {
  it('a half-installed native package (missing tfjs_binding.node) is passed over with its error', async () => {
    const broken: BackendCandidate = { ...candidate('tensorflow'), load: () => Promise.reject(MISSING_BINDING) };
    const info = await selectBackend([broken, candidate('wasm')]);
    expect(info.backend).toBe('wasm');
    expect(info.attempts[0].error).toMatch(
      /^@tensorflow\/tfjs-node is installed but failed to load: The Node.js native addon module \(tfjs_binding\.node\) can not be found/,
    );
    expect(info.attempts[0].error).toContain('npm rebuild @tensorflow/tfjs-node');
  });

  it('a loader that throws synchronously, or a backend that fails to initialise, is passed over too', async () => {
    const throws: BackendCandidate = {
      ...candidate('tensorflow-gpu'),
      load: () => {
        throw new Error('libcudart.so.11.0: cannot open shared object file');
      },
    };
    const noBackend: BackendCandidate = { ...candidate('tensorflow'), load: async () => undefined, tfjsName: 'no-such-backend' };
    const info = await selectBackend([throws, noBackend, candidate('wasm')]);
    expect(info.backend).toBe('wasm');
    expect(info.attempts.map((a) => a.error === undefined)).toEqual([false, false, true]);
    expect(info.attempts[0].error).toContain('libcudart.so.11.0');
  });

  it('a forced backend that fails throws and leaves the running backend active', async () => {
    const broken: BackendCandidate = { ...candidate('tensorflow'), load: () => Promise.reject(MISSING_BINDING) };
    await expect(
      selectBackend([broken, candidate('wasm')], { forced: 'tensorflow', forcedBy: 'EKTM_BACKEND=tensorflow', restoreTo: 'wasm' }),
    ).rejects.toThrow(/^EKTM_BACKEND=tensorflow: @tensorflow\/tfjs-node is installed but failed to load: .*The engine stays on wasm\.$/s);
    expect(tf.getBackend()).toBe('wasm');
  });

  it('reports every failure when nothing works', async () => {
    const broken = (b: EngineBackend): BackendCandidate => ({ ...candidate(b), load: () => Promise.reject(new Error(`no ${b}`)) });
    await expect(selectBackend([broken('wasm'), broken('cpu')], { restoreTo: 'wasm' })).rejects.toThrow(
      /^No TensorFlow\.js backend works: wasm: .*no wasm.*; cpu: .*no cpu/,
    );
    expect(tf.getBackend()).toBe('wasm');
  });
});

describe('error wording', () => {
  it('tells a missing package from a broken one, as Node ESM, Node CJS and Vite word it', () => {
    const pkg = '@tensorflow/tfjs-node';
    expect(
      isNotInstalled(
        Object.assign(new Error(`Cannot find package '${pkg}' imported from /app/x.js`), { code: 'ERR_MODULE_NOT_FOUND' }),
        pkg,
      ),
    ).toBe(true);
    expect(isNotInstalled(Object.assign(new Error(`Cannot find module '${pkg}'\nRequire stack:`), { code: 'MODULE_NOT_FOUND' }), pkg)).toBe(
      true,
    );
    expect(isNotInstalled(new Error(`Could not resolve "${pkg}" imported by "@ektm/core".`), pkg)).toBe(true);
    expect(isNotInstalled(MISSING_BINDING, pkg)).toBe(false);
    // tfjs-node-gpu missing is not tfjs-node missing.
    expect(isNotInstalled(new Error(`Cannot find module '${pkg}-gpu'`), pkg)).toBe(false);
    expect(describeFailure(candidate('tensorflow'), MISSING_BINDING)).toMatch(/installed but failed to load/);
  });
});

describe('wasm binaries', () => {
  it('are found in the installed @tensorflow/tfjs-backend-wasm', async () => {
    const dir = await installedWasmDirectory();
    expect(dir).toMatch(/@tensorflow[\\/]tfjs-backend-wasm[\\/]dist[\\/]$/);
    const { existsSync } = await import('node:fs');
    expect(existsSync(`${dir}tfjs-backend-wasm-simd.wasm`)).toBe(true);
  });
});
