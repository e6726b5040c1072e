import type { ColumnRef } from '../spec/dataset-spec.js';
import type { NormalisedSpec, SplitName } from '../spec/normalised-spec.js';
import type { DuckDBOptions } from '../duckdb/duckdb-options.js';
import type { ReadRowsOptions, RowBatch } from '../parse/row-reader.js';
import type { ResolvedDataset } from './resolve-dataset.js';
import { readRows } from '../parse/row-reader.js';
import { readByDuckDB } from '../spec/split-inputs.js';
import { DuckDBSession } from '../duckdb/duckdb-session.js';
import { fileInputs, isRemotePath, queryInput } from '../duckdb/duckdb-input.js';
import { readDuckDBRows } from '../duckdb/duckdb-rows.js';
import { absolutePath } from './resolve-dataset.js';

/** Options of {@link readSplitRows}. */
export interface SplitReadOptions extends ReadRowsOptions {
  /** Threads and memory of DuckDB, for Parquet, JSON, globs and queries. */
  duckdb?: DuckDBOptions;
}

/** Every column a spec names (features, every task set's labels, the group), so that DuckDB reads only those. */
function specColumns(spec: NormalisedSpec): ColumnRef[] {
  const columns: ColumnRef[] = spec.features.map((f) => f.column);
  for (const set of Object.values(spec.taskSets)) for (const t of set.tasks) if (t.column !== undefined) columns.push(t.column);
  if (spec.group !== undefined) columns.push(spec.group);
  return columns;
}

/**
 * The rows of one split's own inputs, file after file, as row batches: text files through the line reader, and
 * Parquet, JSON, glob patterns and the split's SQL query through DuckDB (one session per pass, closed when the pass
 * ends or is abandoned). Row indices run on across the files, for split rules. `maxRows` applies to each file.
 */
export async function* readSplitRows(
  resolved: ResolvedDataset,
  split: SplitName,
  options: SplitReadOptions = {},
): AsyncGenerator<RowBatch> {
  const { spec } = resolved;
  const query = spec.query?.[split];
  const entries = spec.files?.[split] ?? [];
  const rowsOptions = { maxRows: options.maxRows, rowCounter: options.rowCounter };
  if (query === undefined && !entries.some(readByDuckDB)) {
    for (const entry of entries) yield* readRows(absolutePath(resolved, entry), spec.format, rowsOptions);
    return;
  }
  const need = { key: query !== undefined ? `query.${split}` : `files.${split}`, file: spec.source };
  const session = await DuckDBSession.open(resolved.baseDir, options.duckdb ?? {}, need);
  const duckdbOptions = { ...rowsOptions, columns: specColumns(spec) };
  try {
    if (query !== undefined) {
      yield* readDuckDBRows(session, queryInput(query, split, spec.source), duckdbOptions);
      return;
    }
    for (const entry of entries) {
      const path = isRemotePath(entry) ? entry : absolutePath(resolved, entry);
      if (!readByDuckDB(entry)) {
        yield* readRows(path, spec.format, rowsOptions);
        continue;
      }
      for (const input of await fileInputs(session, path, spec.format)) yield* readDuckDBRows(session, input, duckdbOptions);
    }
  } finally {
    session.close();
  }
}
