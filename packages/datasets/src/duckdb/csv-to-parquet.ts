import { dirname } from 'node:path';
import type { DuckDBOptions } from './duckdb-options.js';
import { DuckDBSession } from './duckdb-session.js';
import { writeFileAtomically } from '../download/atomic-write.js';
import { sqlIdentifier, sqlString } from './sql-text.js';

/** A DuckDB column type for text written by this package (`VARCHAR`, `DOUBLE`, `INTEGER`, `FLOAT`). */
export type ColumnType = 'VARCHAR' | 'DOUBLE' | 'INTEGER' | 'FLOAT';

/**
 * Converts a headed CSV file this package wrote into Parquet with the given column types, through DuckDB's CSV
 * reader and Parquet writer (fast, and the numbers parse back to the same doubles). The caller renames the output
 * into place.
 */
export async function csvToParquet(
  session: DuckDBSession,
  csv: string,
  parquet: string,
  columns: ReadonlyArray<[string, ColumnType]>,
): Promise<void> {
  const types = columns.map(([name, type]) => `${sqlString(name)}: ${sqlString(type)}`).join(', ');
  const names = columns.map(([name]) => sqlIdentifier(name)).join(', ');
  await session.run(
    `COPY (SELECT ${names} FROM read_csv(${sqlString(csv)}, header = true, auto_detect = false, delim = ',', quote = '"', columns = {${types}})) TO ${sqlString(parquet)} (FORMAT parquet)`,
  );
}

/**
 * Converts a headed CSV file into a Parquet file with the given column types, atomically (the target appears
 * complete or not at all): for writing large outputs as text as they stream, then once as Parquet.
 *
 * @param options.duckdb DuckDB's threads and memory
 */
export async function convertCsvToParquet(
  csv: string,
  parquet: string,
  columns: ReadonlyArray<[string, ColumnType]>,
  options: { duckdb?: DuckDBOptions } = {},
): Promise<void> {
  const session = await DuckDBSession.open(dirname(parquet), options.duckdb ?? {}, { key: 'output', file: parquet });
  try {
    await writeFileAtomically(parquet, (temporary) => csvToParquet(session, csv, temporary, columns));
  } finally {
    session.close();
  }
}
