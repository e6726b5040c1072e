import type { EncodedTable } from '@ektm/core';
import type { Preprocessor } from '../encode/preprocessor.js';
import type { NormalisedFormat } from '../spec/normalised-spec.js';
import type { DuckDBOptions } from './duckdb-options.js';
import type { RowEncoder } from '../encode/preprocessor.js';
import type { InputReport, MissingColumns } from '../encode/input-report.js';
import type { FileLayout } from '../parse/file-layout.js';
import type { ColumnRef } from '../spec/dataset-spec.js';
import { DatasetError } from '../errors/dataset-error.js';
import { rowLocation } from '../parse/row-reader.js';
import { DuckDBSession } from './duckdb-session.js';
import { fileInputs, isRemotePath } from './duckdb-input.js';
import { readDuckDBRows } from './duckdb-rows.js';
import { resolve } from 'node:path';
import { firstRows } from '../stream/table-rows.js';

/** Options of {@link encodeFiles}. */
export interface EncodeFilesOptions {
  /** Rows per encoded chunk. Default 8192. */
  chunkRows?: number;
  /** Folder a relative path or pattern starts from. Default: the working directory. */
  baseDir?: string;
  /** DuckDB's threads and memory. */
  duckdb?: DuckDBOptions;
  /**
   * Feature columns missing from an input: `'error'` (default) is a `DatasetError` naming them and the file;
   * `'allow'` encodes them as missing values and counts them in the report. Label and group columns may always be absent.
   */
  missingColumns?: MissingColumns;
  /**
   * Receives the {@link InputReport} of all the rows read (feature columns allowed missing, columns the training data
   * did not have, values never seen in training), after the last chunk: the same checks `encodeRowsWithReport` makes.
   */
  onReport?: (report: InputReport) => void;
}

/**
 * Streams raw rows from files through DuckDB (Parquet, JSON, or CSV with a header; one path or a glob of shards, in
 * sorted order), encoded with a saved preprocessor, chunk by chunk: for scoring data far larger than memory. Labels
 * are optional (NaN when absent), as at serving time; a bad value is a `DatasetError` naming the file, row and column.
 */
export async function* encodeFiles(
  preprocessor: Preprocessor,
  pattern: string,
  options: EncodeFilesOptions = {},
): AsyncGenerator<EncodedTable> {
  const baseDir = resolve(options.baseDir ?? process.cwd());
  const path = isRemotePath(pattern) ? pattern : resolve(baseDir, pattern);
  const { input } = preprocessor.toJSON();
  const format: NormalisedFormat = { delimiter: input.delimiter, header: true, missing: input.missing, skipLines: 0, quote: input.quote };
  const schema = preprocessor.schema();
  const columns = [...schema.features.map((f) => f.column), ...schema.tasks.flatMap((t) => (t.column === undefined ? [] : [t.column]))];
  if (schema.group !== undefined) columns.push(schema.group);
  const featureColumns = [...new Set(schema.features.map((f) => f.column))];
  const known = new Set<ColumnRef>(input.columns ?? columns);
  const nameOf = (ref: ColumnRef) => (typeof ref === 'number' ? (input.columns?.[ref] ?? String(ref)) : ref);
  const missingRows = new Map<string, number>();
  const unknownColumns = new Set<string>();
  const categoricalNames = preprocessor.outputLayout.categoricalSources.map((f) => f.name);
  const unseen = new Array<number>(categoricalNames.length).fill(0);
  let rows = 0;
  const chunkRows = Math.max(1, options.chunkRows ?? 8192);
  const session = await DuckDBSession.open(baseDir, options.duckdb ?? {}, { key: 'input', file: pattern });
  try {
    let table = preprocessor.allocate(chunkRows);
    let filled = 0;
    for (const source of await fileInputs(session, path, format)) {
      let encoder: RowEncoder | undefined;
      let absent: string[] = [];
      let sourceRows = 0;
      for await (const batch of readDuckDBRows(session, source, { columns })) {
        if (!encoder) {
          const checked = checkInputColumns(batch.layout, featureColumns, columns, known, nameOf, options.missingColumns ?? 'error');
          absent = checked.absentFeatures;
          for (const name of checked.unknown) unknownColumns.add(name);
          encoder = preprocessor.createEncoder(checked.layout, false);
        }
        sourceRows += batch.rows.length;
        const raw = encoder.decoder.newRow();
        for (let r = 0; r < batch.rows.length; r++) {
          const fields = batch.rows[r]!;
          try {
            if (fields instanceof DatasetError) throw fields;
            encoder.decoder.decode(encoder.decoder.dense(fields), raw);
          } catch (error) {
            if (error instanceof DatasetError) throw error.locate(rowLocation(batch, r));
            throw error;
          }
          encoder.encode(raw, table, filled);
          for (let i = 0; i < unseen.length; i++) if (preprocessor.isUnseen(i, raw.categorical[i])) unseen[i]!++;
          if (++filled === chunkRows) {
            yield table;
            table = preprocessor.allocate(chunkRows);
            filled = 0;
          }
        }
      }
      rows += sourceRows;
      for (const name of absent) missingRows.set(name, (missingRows.get(name) ?? 0) + sourceRows);
    }
    if (filled > 0) yield firstRows(table, filled);
    options.onReport?.({
      rows,
      missingColumns: [...missingRows].map(([column, count]) => ({ column, rows: count })),
      unknownColumns: [...unknownColumns],
      unseen: unseen
        .map((count, i) => ({ feature: categoricalNames[i]!, rows: count, share: rows ? count / rows : 0 }))
        .filter((u) => u.rows > 0),
    });
  } finally {
    session.close();
  }
}

/**
 * Checks one input's columns against the model's before its rows are read, as `encodeRowsWithReport` checks records:
 * feature columns it lacks are an error naming them (or, allowed, are bound to empty slots past the input's fields, so
 * they decode as missing values); absent label and group columns are bound the same way, since scoring needs no labels.
 */
function checkInputColumns(
  layout: FileLayout,
  featureColumns: readonly ColumnRef[],
  columns: readonly ColumnRef[],
  known: ReadonlySet<ColumnRef>,
  nameOf: (ref: ColumnRef) => string,
  missingColumns: MissingColumns,
): { layout: FileLayout; absentFeatures: string[]; unknown: string[] } {
  const names = layout.names ?? [];
  const present = (ref: ColumnRef) => (typeof ref === 'number' ? ref < layout.fieldCount : names.includes(ref));
  const absentFeatures = featureColumns.filter((c) => !present(c)).map(nameOf);
  const unknown = names.filter((n) => !known.has(n));
  const at = { file: layout.file };
  const hint = unknown.length ? `; the input has columns the data does not: ${unknown.join(', ')}` : '';
  if (featureColumns.length > 0 && absentFeatures.length === featureColumns.length) {
    throw new DatasetError(`has none of the model's feature columns (${featureColumns.map(nameOf).join(', ')})${hint}`, at);
  }
  if (absentFeatures.length > 0 && missingColumns !== 'allow') {
    throw new DatasetError(
      `missing feature column(s) ${absentFeatures.join(', ')}${hint}. Give every feature column (a missing value may be left empty), or encode them as missing values with { missingColumns: 'allow' } (ektm predict --allow-missing)`,
      at,
    );
  }
  const absent = [...new Set(columns.filter((c) => typeof c === 'string' && !present(c)))] as string[];
  if (absent.length === 0) return { layout, absentFeatures, unknown };
  const padded = [...names, ...Array.from({ length: layout.fieldCount - names.length }, (_, i) => String(names.length + i))];
  return { layout: { ...layout, names: [...padded, ...absent], fieldCount: layout.fieldCount + absent.length }, absentFeatures, unknown };
}
