// Bundles the profiling aids (bench/profile.ts, bench/micro.ts + the @ektm sources they import) into bench/dist/*.mjs with esbuild, so that
// plain `node` runs it (and `node --cpu-prof` profiles it). tfjs stays external: one copy, from node_modules.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const packages = ['engine', 'core', 'router', 'transmitter', 'enhancer', 'model', 'baselines', 'datasets', 'cli'];
await build({
  entryPoints: ['profile', 'micro'].map((f) => `${root}bench/${f}.ts`),
  outdir: `${root}bench/dist`,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  splitting: true,
  external: ['@tensorflow/*', 'onnxruntime-node', '@duckdb/*'],
  alias: Object.fromEntries(packages.map((p) => [`@ektm/${p}`, `${root}packages/${p}/src/index.ts`])),
  logLevel: 'warning',
});
