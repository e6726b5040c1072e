import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const packages = [
  'engine',
  'core',
  'testing',
  'router',
  'transmitter',
  'enhancer',
  'model',
  'baselines',
  'datasets',
  'cli',
  'stats',
  'onnx',
  'serve',
];
const src = (name: string) => fileURLToPath(new URL(`./packages/${name}/src/index.ts`, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests run against the sources; the packed-tarball test checks the built packages.
    alias: packages.map((name) => ({ find: new RegExp(`^@ektm/${name}$`), replacement: src(name) })),
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'docs/**/*.test.ts', 'tests/**/*.test.ts'],
    setupFiles: ['./test-support/setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
