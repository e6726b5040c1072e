// Runs the EKTM benchmarks (`*.run.ts` here) against the sources, like the tests, without the tests' timeouts.
// EXTRA_BENCH adds another file pattern (an ad-hoc experiment).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const packages = ['engine', 'core', 'testing', 'router', 'transmitter', 'enhancer', 'model', 'baselines', 'datasets', 'cli'];

export default defineConfig({
  root,
  resolve: {
    alias: packages.map((name) => ({ find: new RegExp(`^@ektm/${name}$`), replacement: `${root}packages/${name}/src/index.ts` })),
  },
  test: {
    include: ['packages/model/bench/**/*.run.ts', ...(process.env.EXTRA_BENCH ? [process.env.EXTRA_BENCH] : [])],
    setupFiles: [`${root}test-support/setup.ts`],
    testTimeout: 6 * 3_600_000,
    pool: 'forks',
    maxWorkers: 1,
  },
});
