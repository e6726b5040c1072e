import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

function readVersion(name: string): string {
  try {
    const require = createRequire(import.meta.url);
    return (JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** Version of `@ektm/cli`, printed by `ektm --version`. */
export const CLI_VERSION: string = readVersion('@ektm/cli');

/** Versions of the packages the CLI drives and of node, for `ektm env` and the comparison result. */
export function packageVersions(): Record<string, string> {
  const names = [
    '@ektm/cli',
    '@ektm/core',
    '@ektm/engine',
    '@ektm/datasets',
    '@ektm/baselines',
    '@ektm/model',
    '@ektm/router',
    '@ektm/transmitter',
    '@ektm/enhancer',
    '@tensorflow/tfjs-core',
    '@tensorflow/tfjs-layers',
    '@tensorflow/tfjs-backend-wasm',
    '@tensorflow/tfjs-backend-webgpu',
    'webgpu',
    'echarts',
  ];
  const out: Record<string, string> = { node: process.versions.node };
  for (const name of names) out[name] = readVersion(name);
  return out;
}
