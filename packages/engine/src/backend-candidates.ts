/**
 * The package behind each backend, how to install it, and how to load it.
 *
 * Each loader is a plain `import('<package>')` of a literal name, so that bundlers (tsup/esbuild here) keep
 * the package external and the import dynamic: the ESM build imports it, the CJS build requires it, and a
 * package that is absent or half-installed (tfjs-node installed with --ignore-scripts throws "tfjs_binding.node
 * can not be found" at import) only fails when that backend is tried.
 */
import type { EngineBackend } from './engine-options.js';
import { activateWebGpu } from './webgpu-backend.js';

/** One backend `initEngine` can try. */
export interface BackendCandidate {
  backend: EngineBackend;
  /** npm package that provides it. */
  packageName: string;
  /** Name under which the package registers its backend with tfjs. */
  tfjsName: string;
  /** What to run to get it. */
  install: string;
  /** Imports the package, which registers the backend; may throw anything. `forced`: the user asked for this one. */
  load: (forced?: boolean) => Promise<unknown>;
}

export const BACKEND_CANDIDATES: readonly BackendCandidate[] = [
  {
    backend: 'tensorflow-gpu',
    packageName: '@tensorflow/tfjs-node-gpu',
    tfjsName: 'tensorflow',
    install: 'npm install @tensorflow/tfjs-node-gpu; it needs CUDA 11.2 and cuDNN 8.1',
    // @ts-ignore -- optional peer dependency, absent on most machines
    load: () => import('@tensorflow/tfjs-node-gpu'),
  },
  {
    backend: 'webgpu',
    packageName: 'webgpu',
    tfjsName: 'webgpu',
    install: 'npm install webgpu @tensorflow/tfjs-backend-webgpu@4.22.0; it needs the Vulkan loader (libvulkan1) and a GPU driver',
    // auto: a real GPU only; forced: any adapter, SwiftShader included (see webgpu-backend.ts).
    load: (forced) => activateWebGpu(forced === true),
  },
  {
    backend: 'tensorflow',
    packageName: '@tensorflow/tfjs-node',
    tfjsName: 'tensorflow',
    install: 'npm install @tensorflow/tfjs-node',
    // @ts-ignore -- optional peer dependency, absent on most machines
    load: () => import('@tensorflow/tfjs-node'),
  },
  {
    backend: 'wasm',
    packageName: '@tensorflow/tfjs-backend-wasm',
    tfjsName: 'wasm',
    install: 'npm install @tensorflow/tfjs-backend-wasm',
    load: () => import('@tensorflow/tfjs-backend-wasm'),
  },
  {
    backend: 'cpu',
    packageName: '@tensorflow/tfjs-backend-cpu',
    tfjsName: 'cpu',
    install: 'npm install @tensorflow/tfjs-backend-cpu',
    load: () => import('@tensorflow/tfjs-backend-cpu'),
  },
];

/** True when `error` says the package itself cannot be found (as Node ESM, Node CJS and Vite word it). */
export function isNotInstalled(error: unknown, packageName: string): boolean {
  const message = error instanceof Error ? error.message : String(error);
  const escaped = packageName.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  // The name quoted on its own: a path inside the package (a missing tfjs_binding.node) is not a missing package.
  const namesPackage = new RegExp(`['"\`]${escaped}['"\`]`).test(message);
  const code = (error as { code?: unknown } | null)?.code;
  const notFound =
    code === 'ERR_MODULE_NOT_FOUND' ||
    code === 'MODULE_NOT_FOUND' ||
    /cannot find (module|package)|could not resolve|failed to (resolve|load)/i.test(message);
  return namesPackage && notFound;
}

/** One line saying why a candidate failed: not installed, or installed but broken. */
export function describeFailure(candidate: BackendCandidate, error: unknown): string {
  if (isNotInstalled(error, candidate.packageName)) return `${candidate.packageName} is not installed (${candidate.install})`;
  const message = (error instanceof Error ? error.message : String(error)).split('\n')[0];
  // An installed webgpu that finds no (real) GPU is a condition of the machine, not a broken install.
  if (candidate.backend === 'webgpu') return `${candidate.packageName} is installed, but ${message}`;
  return `${candidate.packageName} is installed but failed to load: ${message} (rebuild it with npm rebuild ${candidate.packageName}, or uninstall it)`;
}
