import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/bin.ts'],
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
