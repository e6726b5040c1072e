import type { NormalisedSpec, SplitName } from './normalised-spec.js';

/** Characters that make a file entry a glob pattern (expanded by DuckDB, in sorted order). */
const GLOB = /[*?[]/;
/** File endings read by DuckDB rather than by the line reader. */
const DUCKDB_FORMATS = /\.(parquet|json|jsonl|ndjson)$/i;

/**
 * Whether a file entry is read through DuckDB: a Parquet or JSON file, or a glob pattern of shards. Plain text
 * files (CSV, TSV, `.gz`) keep the line reader, which also reads `key:value` rows that DuckDB's CSV reader cannot.
 */
export function readByDuckDB(path: string): boolean {
  return GLOB.test(path) || DUCKDB_FORMATS.test(path);
}

/** True when `split` has rows of its own in the spec: files or a SQL query. */
export function splitHasInput(spec: Pick<NormalisedSpec, 'files' | 'query'>, split: SplitName): boolean {
  return Boolean(spec.files?.[split] ?? spec.query?.[split]);
}

/** True when some split of the spec is read through DuckDB (a query, or a Parquet, JSON or glob entry). */
export function usesDuckDB(spec: Pick<NormalisedSpec, 'files' | 'query'>): boolean {
  if (spec.query) return true;
  return Object.values(spec.files ?? {}).some((list) => (list as string[] | undefined)?.some(readByDuckDB) ?? false);
}
