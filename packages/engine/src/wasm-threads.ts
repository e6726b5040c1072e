/**
 * Multi-threaded XNNPACK for the wasm backend under Node (opt-in: `initEngine({ wasmThreads: 2 })` or
 * `EKTM_WASM_THREADS=2`).
 *
 * tfjs-backend-wasm 4.22 ships a threaded SIMD binary but never uses it in Node (its feature flag answers
 * false there, tensorflow/tfjs#3830), and its loader assumes a browser: it hands Emscripten the pthread worker
 * and the module factory as `Blob` object URLs, which Node's `worker_threads` cannot load, and it caps the pool
 * at half the logical cores (1 on a 2-core machine). For the duration of the backend's initialisation this
 * module therefore (1) turns the flag on, (2) captures the two scripts the loader builds as Blobs and writes
 * them to a temporary directory (prefixing the four bundler-renamed globals the factory's source refers to),
 * (3) reports twice the wanted threads as logical cores, so that the cap lets them through. Afterwards it
 * `unref()`s the pthread workers so that they do not keep the process alive.
 *
 * Checked against tfjs-backend-wasm 4.22.0 only: the worker source must contain the exact statement it
 * rewrites, else initialisation fails with an error naming `EKTM_WASM_THREADS` (leave it unset for one thread).
 */
import { backend as activeBackend, env } from '@tensorflow/tfjs-core';
import { EngineConfigError } from './engine-config-error.js';

/** The environment variable asking for XNNPACK threads on wasm. */
export const WASM_THREADS_ENV = 'EKTM_WASM_THREADS';

/** Parses a thread count (option or `EKTM_WASM_THREADS`); undefined when absent; throws naming the allowed values. */
export function parseWasmThreads(value: number | string | undefined, from: 'env' | 'option' = 'env'): number | undefined {
  if (value === undefined || (typeof value === 'string' && value.trim() === '')) return undefined;
  const n = typeof value === 'number' ? value : Number(value.trim());
  if (!Number.isInteger(n) || n < 1 || n > 64) {
    const given = from === 'env' ? `${WASM_THREADS_ENV}=${JSON.stringify(value)}` : `initEngine({ wasmThreads: ${JSON.stringify(value)} })`;
    throw new EngineConfigError(
      `${given}: must be an integer from 1 to 64 (1: no worker threads)`,
      from === 'env' ? WASM_THREADS_ENV : 'wasmThreads',
    );
  }
  return n;
}

/** The worker statement that loads the factory from a Blob URL; replaced by a load from a file. */
const WORKER_LOADS_BLOB = 'var objectUrl=URL.createObjectURL(e.data.urlOrBlob);importScripts(objectUrl);URL.revokeObjectURL(objectUrl)';
/** Globals the factory's source uses that exist only inside tfjs-backend-wasm's Node bundle. */
const FACTORY_PRELUDE =
  "var commonjsGlobal = globalThis, require$$0 = require('fs'), require$$1 = require('path'), require$$3 = require('perf_hooks'), require$$4 = require('os');\n";
const FACTORY_START = 'var WasmBackendModuleThreadedSimd';

interface ThreadShims {
  restore(): void;
}

/** A stand-in for `Blob` that keeps its text, so that the loader's scripts can be written to files. */
class CapturedScript {
  readonly source: string;
  constructor(parts: unknown[]) {
    this.source = parts.map(String).join('');
  }
}

async function installShims(threads: number): Promise<ThreadShims> {
  const [fs, osNamespace, path] = await Promise.all([import('node:fs'), import('node:os'), import('node:path')]);
  // The CommonJS object (what the loader's `require('os')` returns), not the read-only ESM namespace.
  const os = osNamespace.default;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ektm-wasm-threads-'));
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  const factoryPath = path.join(dir, 'factory.js');
  const workerPath = path.join(dir, 'worker.js');
  const globals = globalThis as unknown as { Blob: unknown };
  const realBlob = globals.Blob;
  const realCreateObjectURL = URL.createObjectURL;
  const realCpus = os.cpus;
  globals.Blob = class extends CapturedScript {
    constructor(parts: unknown[]) {
      super(parts);
      if (this.source.startsWith(FACTORY_START)) fs.writeFileSync(factoryPath, FACTORY_PRELUDE + this.source);
    }
  };
  URL.createObjectURL = ((blob: unknown) => {
    if (!(blob instanceof CapturedScript)) return realCreateObjectURL(blob as Blob);
    if (!blob.source.includes(WORKER_LOADS_BLOB)) {
      // An environment problem (another tfjs-backend-wasm build): plain Error, exit code 1.
      throw new Error(
        `${WASM_THREADS_ENV}: this version of @tensorflow/tfjs-backend-wasm is not supported with threads (checked against 4.22.0); leave it unset`,
      );
    }
    fs.writeFileSync(workerPath, blob.source.replace(WORKER_LOADS_BLOB, `importScripts(${JSON.stringify(factoryPath)})`));
    return workerPath;
  }) as typeof URL.createObjectURL;
  const fakeCpu = realCpus()[0]!;
  (os as { cpus: typeof os.cpus }).cpus = () => Array.from({ length: 2 * threads }, () => fakeCpu);
  return {
    restore() {
      globals.Blob = realBlob;
      URL.createObjectURL = realCreateObjectURL;
      (os as { cpus: typeof os.cpus }).cpus = realCpus;
    },
  };
}

/** The part of the wasm backend's Emscripten module that holds the pthread workers. */
interface ThreadedModule {
  PThread?: { runningWorkers: { unref(): void }[]; unusedWorkers: { unref(): void }[] };
}

/**
 * Runs `initialise` (which must create the wasm backend, e.g. `setBackend('wasm')`) with the threaded binary and
 * `threads` XNNPACK threads. Call before the wasm backend's first initialisation; returns the thread count
 * XNNPACK reports. Node only.
 */
export async function initialiseWasmWithThreads(
  wasmModule: { setThreadsCount?: (n: number) => void; getThreadsCount?: () => number },
  threads: number,
  initialise: () => Promise<boolean>,
): Promise<number> {
  // Environment problems (runtime without threads): plain Errors, exit code 1.
  if (typeof process === 'undefined' || !process.versions?.node)
    throw new Error(`${WASM_THREADS_ENV}: threads are implemented for Node only`);
  if (typeof SharedArrayBuffer === 'undefined') throw new Error(`${WASM_THREADS_ENV}: this runtime has no SharedArrayBuffer`);
  env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  wasmModule.setThreadsCount?.(threads);
  const shims = await installShims(threads);
  try {
    // An environment problem (the threaded binary failed to start): plain Error, exit code 1.
    if (!(await initialise()))
      throw new Error(`${WASM_THREADS_ENV}=${threads}: the threaded wasm backend failed to initialise (tfjs logged the cause above)`);
  } finally {
    shims.restore();
  }
  const module = (activeBackend() as unknown as { wasm?: ThreadedModule }).wasm;
  for (const worker of [...(module?.PThread?.runningWorkers ?? []), ...(module?.PThread?.unusedWorkers ?? [])]) worker.unref();
  return wasmModule.getThreadsCount?.() ?? 1;
}
