import { defineConfig } from 'tsup';

export default defineConfig({
  // The tune worker is an entry of its own: `ektm tune --workers W` forks dist/tune-worker.js.
  entry: { index: 'src/index.ts', bin: 'src/bin.ts', 'tune-worker': 'src/tune/tune-worker.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  // import.meta.url (reading echarts for the report) works in the CommonJS build too.
  shims: true,
  // One engine per application: tfjs and sibling ektm packages are never bundled.
  external: [/^@tensorflow\//, /^@ektm\//],
});
