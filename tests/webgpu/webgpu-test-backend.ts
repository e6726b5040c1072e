/**
 * Puts the engine on the webgpu backend for a parity test, or says why it cannot.
 *
 * On a machine without a GPU (CI, these 2-core machines) the test runs on Chromium's software Vulkan driver,
 * SwiftShader, which Debian's chromium package ships: Dawn finds it through `VK_ICD_FILENAMES` (set here when unset,
 * before Dawn loads) and the Vulkan loader (`libvulkan1`). `npm run check:gpu` sets `EKTM_GPU_HARDWARE=1`: then no
 * software driver is injected and a software adapter is a failure, so that the same tests run on a real GPU.
 *
 * Where neither works the tests skip with a visible message; `EKTM_REQUIRE_WEBGPU=1` (set by .ci/run) turns the skip
 * into a failure, as `EKTM_REQUIRE_DATA=1` does for the shared data.
 */
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describeAdapter, initEngine, mayHaveGpu, type GpuAdapterInfo } from '@ektm/engine';

/** Chromium's SwiftShader Vulkan driver, as Debian's chromium package installs it. */
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

/** Switches the engine to webgpu; resolves to its adapter, or undefined (after a visible SKIP line) when it cannot run here. */
export async function useWebGpu(): Promise<GpuAdapterInfo | undefined> {
  const hardware = process.env['EKTM_GPU_HARDWARE'] === '1';
  if (!hardware && !process.env['VK_ICD_FILENAMES'] && !mayHaveGpu() && existsSync(SWIFTSHADER_ICD)) {
    process.env['VK_ICD_FILENAMES'] = SWIFTSHADER_ICD;
    process.env['XDG_RUNTIME_DIR'] ??= tmpdir();
  }
  let problem: string;
  try {
    const info = await initEngine({ backend: 'webgpu', quiet: true });
    const adapter = info.gpuAdapter!;
    if (!hardware || !adapter.software) return adapter;
    problem = `EKTM_GPU_HARDWARE=1 asks for a real GPU, and the adapter is ${describeAdapter(adapter)}`;
  } catch (error) {
    problem = `the webgpu backend does not start here: ${(error as Error).message}`;
  }
  if (hardware || process.env['EKTM_REQUIRE_WEBGPU'] === '1') {
    throw new Error(`${problem}${hardware ? '' : '; EKTM_REQUIRE_WEBGPU=1 makes this a failure'}`);
  }
  console.warn(`SKIP: ${problem} (the webgpu parity tests are skipped; see docs/backends.md for the SwiftShader recipe)`);
  return undefined;
}
