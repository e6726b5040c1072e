import type { DuckDBSession } from './duckdb-session.js';
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
