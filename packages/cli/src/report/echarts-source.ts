import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

let cached: string | undefined;

/**
 * The minified echarts bundle, read from the installed `echarts` package, to be inlined into the report so
 * that the page opens without a network.
 */
export function echartsSource(): string {
  if (cached === undefined) {
    const require = createRequire(import.meta.url);
    cached = readFileSync(require.resolve('echarts/dist/echarts.min.js'), 'utf8');
  }
  return cached;
}
