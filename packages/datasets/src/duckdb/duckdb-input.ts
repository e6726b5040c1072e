import { existsSync } from 'node:fs';
import type { NormalisedFormat } from '../spec/normalised-spec.js';
import type { DuckDBSession } from './duckdb-session.js';
import { DatasetError } from '../errors/dataset-error.js';
import { sqlString } from './sql-text.js';

/** One relation DuckDB reads as a unit of rows: a file (Parquet, JSON, CSV) or a split's SQL query. */
export interface DuckDBInput {
  /** How errors name it: the file's path, or `spec.json#query.train` for a query. */
  file: string;
  /** The SQL relation: `read_parquet('…')`, `read_csv('…', …)` or a parenthesised query. */
  relation: string;
  /** Whether text values are trimmed, as the line reader trims CSV fields. */
  trim: boolean;
}

const GLOB = /[*?[]/;
const REMOTE = /^[a-z][a-z0-9+.-]*:\/\//i;

/** True for a URL that DuckDB reads itself (`s3://`, `https://`, through its httpfs extension). */
export function isRemotePath(path: string): boolean {
  return REMOTE.test(path);
}

/**
 * The inputs of one file entry: the file itself, or every file a glob pattern matches, in sorted order (so row
 * numbers, and split rules over them, are the same on every pass). A missing file or a pattern without matches is a
 * `DatasetError` naming it.
 */
export async function fileInputs(session: DuckDBSession, path: string, format: NormalisedFormat): Promise<DuckDBInput[]> {
  let files: string[];
  if (GLOB.test(path)) {
    const rows = await session.rows(`SELECT file FROM glob(${sqlString(path)}) ORDER BY file`);
    files = rows.map((row) => String(row[0]));
    if (files.length === 0) throw new DatasetError(`no file matches ${path}`, { file: path });
  } else {
    if (!isRemotePath(path) && !existsSync(path)) throw new DatasetError('file not found', { file: path });
    files = [path];
  }
  return files.map((file) => ({ file, relation: relationOf(file, format), trim: !/\.(parquet|json|jsonl|ndjson)$/i.test(file) }));
}

/** The input of a split's SQL query; errors name it `spec.json#query.train`. */
export function queryInput(sql: string, split: string, specFile: string | undefined): DuckDBInput {
  return { file: `${specFile ?? 'spec'}#query.${split}`, relation: `(${sql})`, trim: false };
}

/** DuckDB's reader for a file: Parquet and JSON by their own readers; anything else as CSV text, every value as text. */
function relationOf(file: string, format: NormalisedFormat): string {
  if (/\.parquet$/i.test(file)) return `read_parquet(${sqlString(file)})`;
  if (/\.(json|jsonl|ndjson)$/i.test(file)) return `read_json_auto(${sqlString(file)})`;
  const options = [
    'all_varchar = true',
    `header = ${format.header === true}`,
    `delim = ${sqlString(format.delimiter)}`,
    `quote = ${sqlString(format.quote ?? '')}`,
    `escape = ${sqlString(format.quote ?? '')}`,
    `skip = ${format.skipLines}`,
  ];
  if (format.columns && format.header !== true) options.push(`names = [${format.columns.map(sqlString).join(', ')}]`);
  return `read_csv(${sqlString(file)}, ${options.join(', ')})`;
}
