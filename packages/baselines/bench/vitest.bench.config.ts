// Runs the baselines' benchmarks (not part of `npx vitest run`): `npx vitest run -c packages/baselines/bench/vitest.bench.config.ts`.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const packages = ['engine', 'core', 'testing', 'router', 'transmitter', 'enhancer', 'model', 'baselines', 'datasets', 'cli'];
const root = fileURLToPath(new URL('../../..', import.meta.url));
export default defineConfig({
  root,
  resolve: {
    alias: packages.map((name) => ({ find: new RegExp(`^@ektm/${name}$`), replacement: `${root}/packages/${name}/src/index.ts` })),
  },
  test: {
    include: ['packages/baselines/bench/**/*.run.ts'],
    setupFiles: [`${root}/test-support/setup.ts`],
    testTimeout: 3_600_000,
    hookTimeout: 600_000,
    pool: 'forks',
    maxWorkers: 1,
  },
});
