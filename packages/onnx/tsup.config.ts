import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  // import.meta.url in the CommonJS build too: the Python reference encoder is found beside the package's dist.
  shims: true,
  // One engine per application: tfjs and sibling ektm packages are never bundled; onnxruntime-node is an optional peer.
  external: [/^@tensorflow\//, /^@ektm\//, 'onnxruntime-node', 'onnx-proto'],
});
