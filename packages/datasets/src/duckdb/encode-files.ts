import type { EncodedTable } from '@ektm/core';
import type { Preprocessor } from '../encode/preprocessor.js';
import type { NormalisedFormat } from '../spec/normalised-spec.js';
import type { DuckDBOptions } from './duckdb-options.js';
import type { RowEncoder } from '../encode/preprocessor.js';
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
  const chunkRows = Math.max(1, options.chunkRows ?? 8192);
  const session = await DuckDBSession.open(baseDir, options.duckdb ?? {}, { key: 'input', file: pattern });
  try {
    let table = preprocessor.allocate(chunkRows);
    let filled = 0;
    for (const source of await fileInputs(session, path, format)) {
      let encoder: RowEncoder | undefined;
      for await (const batch of readDuckDBRows(session, source, { columns })) {
        encoder ??= preprocessor.createEncoder(batch.layout, false);
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
          if (++filled === chunkRows) {
            yield table;
            table = preprocessor.allocate(chunkRows);
            filled = 0;
          }
        }
      }
    }
    if (filled > 0) yield firstRows(table, filled);
  } finally {
    session.close();
  }
}
