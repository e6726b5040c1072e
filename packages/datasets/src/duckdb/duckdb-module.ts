import { ConfigError } from '@ektm/core';

/** The DuckDB client for Node, an optional peer of this package. */
export type DuckDBModule = typeof import('@duckdb/node-api');

/** The version this package is tested with, for the install hint. */
const DUCKDB_PACKAGE = '@duckdb/node-api@1.5.6-r.1';

let loading: Promise<DuckDBModule> | undefined;

/**
 * Imports `@duckdb/node-api` on first use, so that CSV users never load (or install) it. When it is missing or its
 * native binding does not load, the error is a `ConfigError` naming the spec key that needs it and the install command.
 *
 * @param need the spec key (`files.train`, `query.test`) or option (`--input`) that asked for DuckDB, and its file
 */
export async function loadDuckDB(need: { key: string; file?: string }): Promise<DuckDBModule> {
  loading ??= import('@duckdb/node-api');
  try {
    return await loading;
  } catch (error) {
    loading = undefined;
    const cause = (error as Error).message?.split('\n')[0] ?? String(error);
    throw new ConfigError(
      `${need.key}: reading Parquet, JSON, glob patterns and SQL queries needs DuckDB, which could not be loaded (${cause}); install it with: npm install ${DUCKDB_PACKAGE}`,
      need.key,
      need.file,
    );
  }
}
