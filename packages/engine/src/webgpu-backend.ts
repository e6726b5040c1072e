/**
 * The `webgpu` backend in Node: `@tensorflow/tfjs-backend-webgpu` on Dawn's Node binding (the `webgpu` npm
 * package), both optional peers.
 *
 * tfjs-backend-webgpu is written for browsers: it registers itself only when `navigator.gpu` exists and asks
 * `navigator.gpu` for an adapter of its own. Node 20 has no `navigator`, so this module requests the adapter from
 * Dawn, decides whether it is a real GPU, installs `navigator.gpu` and the `GPU*` globals, and registers the backend
 * on the device it opened, so that the adapter `ektm env` names is the one that computes.
 *
 * `auto` takes a real GPU only: a software adapter (SwiftShader, llvmpipe, lavapipe, Dawn's fallback adapter)
 * computes correctly but far slower than the wasm backend. A forced `webgpu` accepts one, which is how CI tests
 * the GPU code on machines without a GPU (see docs/backends.md for the SwiftShader recipe).
 */
import { existsSync, readdirSync } from 'node:fs';
import { engine, registerBackend, removeBackend } from '@tensorflow/tfjs-core';

/** What the GPU adapter says about itself. */
export interface GpuAdapterInfo {
  /** Vendor, e.g. `nvidia`, `google` (SwiftShader). */
  vendor: string;
  /** Architecture, e.g. `ampere`, `swiftshader`. */
  architecture: string;
  /** Device name. */
  device: string;
  /** Driver description, e.g. `SwiftShader driver 5.0.0`. */
  description: string;
  /** True for a software renderer (SwiftShader, llvmpipe, lavapipe, a fallback adapter): correct, not fast. */
  software: boolean;
}

/** Names that mark a software renderer in an adapter's vendor, architecture, device or description. */
const SOFTWARE_RENDERERS = /swiftshader|llvmpipe|lavapipe|softpipe|software|microsoft basic render/i;

/** Whether an adapter is a software renderer: Dawn's fallback flag, or a known software driver's name. */
export function isSoftwareAdapter(info: Omit<GpuAdapterInfo, 'software'>, fallback: boolean): boolean {
  return fallback || SOFTWARE_RENDERERS.test(`${info.vendor} ${info.architecture} ${info.device} ${info.description}`);
}

/** One line naming an adapter: `SwiftShader driver 5.0.0 (google swiftshader, software)`. */
export function describeAdapter(info: GpuAdapterInfo): string {
  const name = info.description || info.device || 'unnamed adapter';
  const kind = [info.vendor, info.architecture].filter(Boolean).join(' ');
  return `${name} (${kind ? `${kind}, ` : ''}${info.software ? 'software' : 'hardware'})`;
}

/**
 * Whether this machine may have a GPU worth asking for, without loading Dawn: on Linux a DRM render node, an NVIDIA
 * device or WSL's `/dev/dxg`; on macOS and Windows always. `auto` skips the webgpu backend otherwise (loading Dawn
 * on a machine without Vulkan prints a warning and costs startup time for nothing).
 */
export function mayHaveGpu(): boolean {
  if (typeof process === 'undefined' || process.platform !== 'linux') return true;
  try {
    if (existsSync('/dev/dxg') || existsSync('/dev/nvidia0')) return true;
    return readdirSync('/dev/dri').some((name) => name.startsWith('renderD'));
  } catch {
    return false;
  }
}

interface DawnModule {
  create(flags: string[]): GpuLike;
  globals: Record<string, unknown>;
}
interface GpuLike {
  requestAdapter(options?: { powerPreference?: string; forceFallbackAdapter?: boolean }): Promise<AdapterLike | null>;
}
interface AdapterLike {
  info?: { vendor?: string; architecture?: string; device?: string; description?: string; isFallbackAdapter?: boolean };
  isFallbackAdapter?: boolean;
  features: { has(name: string): boolean };
  limits: Record<string, number>;
  requestDevice(descriptor: object): Promise<unknown>;
}
interface WebGpuBackendModule {
  WebGPUBackend: new (device: unknown, adapterInfo: unknown) => unknown;
}

interface ReadSyncOwner {
  readSync(dataId: object): unknown;
  [GUARDED]?: true;
}
const GUARDED = Symbol.for('@ektm/engine/webgpu-read-sync-guard');

/**
 * tfjs-backend-webgpu reads a GPU tensor synchronously (`dataSync`, `arraySync`) through an `OffscreenCanvas`, which
 * Node does not have: the shipped error is "OffscreenCanvas is not defined". WebGPU maps buffers asynchronously
 * only, so no synchronous read can work in Node; say so, and what to use instead.
 */
function guardSynchronousReads(proto: ReadSyncOwner): void {
  if (proto[GUARDED]) return;
  const readSync = proto.readSync;
  proto.readSync = function (this: ReadSyncOwner, dataId: object): unknown {
    try {
      return readSync.call(this, dataId);
    } catch (error) {
      if (typeof (globalThis as { OffscreenCanvas?: unknown }).OffscreenCanvas !== 'undefined') throw error;
      throw new Error(
        'The webgpu backend cannot read a GPU tensor synchronously in Node (dataSync, arraySync, and what calls them: ' +
          "MultiTaskModel.predict, the trainer's loss checks): WebGPU reads back asynchronously only. Use await tensor.data(), " +
          'or run those on another backend (EKTM_BACKEND=wasm).',
        { cause: error },
      );
    }
  };
  proto[GUARDED] = true;
}

/** The adapter of the last successful {@link activateWebGpu}. */
let activeAdapter: GpuAdapterInfo | undefined;

/** The adapter the `webgpu` backend runs on, once it is active. */
export function webGpuAdapter(): GpuAdapterInfo | undefined {
  return activeAdapter && { ...activeAdapter };
}

/** Makes `navigator.gpu` and the `GPU*` constants (GPUBufferUsage, …) exist, as tfjs-backend-webgpu expects of a browser. */
function installGlobals(dawn: DawnModule, gpu: GpuLike): void {
  const scope = globalThis as Record<string, unknown>;
  for (const [name, value] of Object.entries(dawn.globals)) if (!(name in scope)) scope[name] = value;
  const navigator = (scope['navigator'] ??= {}) as Record<string, unknown>;
  if (!navigator['gpu']) Object.defineProperty(navigator, 'gpu', { value: gpu, configurable: true, enumerable: true });
}

async function requestAdapter(gpu: GpuLike, allowSoftware: boolean): Promise<AdapterLike | null> {
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (adapter || !allowSoftware) return adapter;
  return gpu.requestAdapter({ forceFallbackAdapter: true });
}

/**
 * Loads Dawn and tfjs-backend-webgpu, opens the best adapter and registers the `webgpu` backend on it. With
 * `allowSoftware` false (auto), throws when the only adapter is a software one. Throws when no adapter is found,
 * naming the Vulkan loader and the SwiftShader recipe. Resolves to the adapter; `tf.setBackend('webgpu')` is left
 * to the caller.
 */
export async function activateWebGpu(allowSoftware: boolean): Promise<GpuAdapterInfo> {
  if (!allowSoftware && !mayHaveGpu()) throw new Error('no GPU device on this machine (/dev/dri/renderD*, /dev/nvidia0, /dev/dxg)');
  // @ts-ignore -- optional peer dependency, absent on most machines
  const dawn = (await import('webgpu')) as DawnModule;
  const gpu = dawn.create([]);
  const adapter = await requestAdapter(gpu, allowSoftware);
  if (!adapter) {
    throw new Error(
      'Dawn found no GPU adapter (is the Vulkan loader libvulkan1 installed? Without a GPU, a software one works: ' +
        'VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json with Debian chromium)',
    );
  }
  const raw = adapter.info ?? {};
  const named = {
    vendor: raw.vendor ?? '',
    architecture: raw.architecture ?? '',
    device: raw.device ?? '',
    description: raw.description ?? '',
  };
  const info: GpuAdapterInfo = {
    ...named,
    software: isSoftwareAdapter(named, raw.isFallbackAdapter ?? adapter.isFallbackAdapter ?? false),
  };
  if (info.software && !allowSoftware) {
    throw new Error(
      `the only adapter is ${describeAdapter(info)}, a software renderer slower than wasm (force it with EKTM_BACKEND=webgpu)`,
    );
  }
  installGlobals(dawn, gpu);
  const module = (await import('@tensorflow/tfjs-backend-webgpu')) as unknown as WebGpuBackendModule & { default?: WebGpuBackendModule };
  const WebGPUBackend = module.WebGPUBackend ?? module.default?.WebGPUBackend;
  guardSynchronousReads(WebGPUBackend.prototype as ReadSyncOwner);
  // The same device descriptor tfjs-backend-webgpu's own factory builds, on the adapter chosen here.
  const limits = adapter.limits;
  const device = await adapter.requestDevice({
    requiredFeatures: adapter.features.has('timestamp-query') ? ['timestamp-query'] : [],
    requiredLimits: {
      maxComputeWorkgroupStorageSize: limits['maxComputeWorkgroupStorageSize'],
      maxComputeWorkgroupsPerDimension: limits['maxComputeWorkgroupsPerDimension'],
      maxStorageBufferBindingSize: limits['maxStorageBufferBindingSize'],
      maxBufferSize: limits['maxBufferSize'],
      maxComputeWorkgroupSizeX: limits['maxComputeWorkgroupSizeX'],
      maxComputeInvocationsPerWorkgroup: limits['maxComputeInvocationsPerWorkgroup'],
    },
  });
  if (engine().registry['webgpu'] == null) {
    if (engine().registryFactory['webgpu']) removeBackend('webgpu');
    registerBackend('webgpu', () => new WebGPUBackend(device, adapter.info) as ReturnType<Parameters<typeof registerBackend>[1]>, 3);
  }
  activeAdapter = info;
  return { ...info };
}
