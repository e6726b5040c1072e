import { afterEach, describe, expect, it, vi } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { BACKEND_CANDIDATES } from './backend-candidates.js';
import type { BackendCandidate } from './backend-candidates.js';
import { selectBackend } from './select-backend.js';
import { assertSupportedTfjs, SUPPORTED_TFJS_VERSION, UnsupportedTfjsVersionError, wasmVersionOf } from './tfjs-versions.js';

const wasm = BACKEND_CANDIDATES.find((c) => c.backend === 'wasm')!;
const cpu = BACKEND_CANDIDATES.find((c) => c.backend === 'cpu')!;

afterEach(() => {
  vi.doUnmock('@tensorflow/tfjs-core');
  vi.resetModules();
});

describe('the tfjs version guard', () => {
  it('supports the version in package-lock (the one installed here)', async () => {
    expect(SUPPORTED_TFJS_VERSION).toBe(tf.version_core);
    expect(wasmVersionOf(await import('@tensorflow/tfjs-backend-wasm'))).toBe(SUPPORTED_TFJS_VERSION);
    expect(() => assertSupportedTfjs('@tensorflow/tfjs-core', tf.version_core)).not.toThrow();
  });

  it('throws naming the package, the version loaded, the one supported and how to install it', () => {
    const error = (() => {
      try {
        assertSupportedTfjs('@tensorflow/tfjs-backend-wasm', '4.21.0');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(UnsupportedTfjsVersionError);
    expect(error).toMatchObject({ packageName: '@tensorflow/tfjs-backend-wasm', loaded: '4.21.0', supported: '4.22.0' });
    expect((error as Error).message).toBe(
      '@tensorflow/tfjs-backend-wasm 4.21.0 is loaded, but @ektm/engine supports @tensorflow/tfjs-backend-wasm 4.22.0 only ' +
        "(its kernel patches are written against that release's internals). " +
        'Install exactly that version: npm install @tensorflow/tfjs-backend-wasm@4.22.0',
    );
    expect(() => assertSupportedTfjs('@tensorflow/tfjs-core', undefined)).toThrow(/@tensorflow\/tfjs-core unknown is loaded/);
  });

  it('a wasm backend of another release stops selectBackend instead of falling through to cpu', async () => {
    const running = tf.getBackend();
    const otherWasm: BackendCandidate = { ...wasm, load: async () => ({ ...((await wasm.load()) as object), version_wasm: '4.21.0' }) };
    await expect(selectBackend([otherWasm, cpu], { restoreTo: running })).rejects.toThrow(
      /^@tensorflow\/tfjs-backend-wasm 4\.21\.0 is loaded, but @ektm\/engine supports @tensorflow\/tfjs-backend-wasm 4\.22\.0 only/,
    );
    expect(tf.getBackend()).toBe(running);
  });

  it('initEngine refuses a tfjs-core of another release before patching anything', async () => {
    vi.resetModules();
    vi.doMock('@tensorflow/tfjs-core', async (importOriginal) => ({ ...(await importOriginal<object>()), version_core: '5.0.0' }));
    const fresh = await import('./init-engine.js');
    await expect(fresh.initEngine({ quiet: true })).rejects.toThrow(
      /^@tensorflow\/tfjs-core 5\.0\.0 is loaded, but @ektm\/engine supports @tensorflow\/tfjs-core 4\.22\.0 only/,
    );
  });
});
