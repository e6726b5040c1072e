import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** ../shared/data beside the repository (four levels up from this file): real public data, never copied into the project. */
export const SHARED_DATA_DIR = process.env.EKTM_SHARED_DATA ?? fileURLToPath(new URL('../../../../shared/data', import.meta.url));

/**
 * Resolves a file under ../shared/data. When it is absent (a user's clone) the caller skips the test with a
 * visible message; when EKTM_REQUIRE_DATA=1 (CI) an absent file is a failure instead of a skip.
 * Use: `const file = sharedData('census-income-kdd/census-income.test.gz'); describe.skipIf(!file)(...)`.
 */
export function sharedData(relativePath: string): string | undefined {
  const path = join(SHARED_DATA_DIR, relativePath);
  if (existsSync(path)) return path;
  const message = `shared data missing: ${path} (the tests that need it are skipped)`;
  // Test support: fails the test run (CI) rather than an ektm command.
  if (process.env.EKTM_REQUIRE_DATA === '1') throw new Error(`${message}; EKTM_REQUIRE_DATA=1 makes this a failure`);
  console.warn(`SKIP: ${message}`);
  return undefined;
}
