import type { DuckDBType, DuckDBValue } from '@duckdb/node-api';
import type { ColumnRef } from '../spec/dataset-spec.js';
import type { FileLayout } from '../parse/file-layout.js';
import type { RowBatch, RowFields } from '../parse/row-reader.js';
import type { DuckDBInput } from './duckdb-input.js';
import type { DuckDBSession } from './duckdb-session.js';
import { DatasetError } from '../errors/dataset-error.js';
import { sqlIdentifier } from './sql-text.js';

/** Options of {@link readDuckDBRows}. */
export interface DuckDBRowsOptions {
  /** The columns to read (names or 0-based indexes); the others are left out of the query. Default: all. */
  columns?: readonly ColumnRef[];
  /** Stop after this many rows (a `LIMIT`). */
  maxRows?: number;
  /** Row index counter, shared by the inputs of one split so that indices run on across them. */
  rowCounter?: { next: number };
}

/** DuckDB type ids whose values are not one scalar (they cannot be a feature or a label without a cast). */
const NESTED = new Set([18, 24, 25, 26, 28, 29, 33, 34, 40]); // BLOB, LIST, STRUCT, MAP, UNION, BIT, ARRAY, ANY, GEOMETRY
/** DuckDB type ids whose values arrive as JS numbers: integers up to 32 bits, FLOAT, DOUBLE. */
const NUMBERS = new Set([2, 3, 4, 6, 7, 8, 10, 11]);
/** 64- and 128-bit integers, which arrive as bigints. */
const BIGINTS = new Set([5, 9, 16, 32]);
const BOOLEAN = 1;
const VARCHAR = 17;

/** How one column's values become what the row decoder reads: text as a CSV field would hold it, or a number. */
type ToValue = (value: Exclude<DuckDBValue, null>) => string | number;

function toValue(type: DuckDBType, trim: boolean): ToValue | undefined {
  const id: number = type.typeId;
  if (NESTED.has(id)) return undefined;
  if (id === VARCHAR) return trim ? (v) => (v as string).trim() : (v) => v as string;
  // Numbers stay numbers: the decoder reads them as it reads their shortest text (categorical values become that text).
  if (NUMBERS.has(id)) return (v) => v as number;
  // Booleans are 1/0, as `Preprocessor.encodeRows` reads them from records, so `click AND buy` is a 0/1 label.
  if (id === BOOLEAN) return (v) => (v ? 1 : 0);
  // A large integer keeps its exact digits (an id) unless it is a safe number.
  if (BIGINTS.has(id)) return (v) => (Number.isSafeInteger(Number(v)) ? Number(v) : String(v));
  // Decimals, dates, timestamps, enums and UUIDs as DuckDB prints them.
  return (v) => String(v);
}

/**
 * Streams a DuckDB input (a file or a query) as row batches for the same decoders and encoders as text files: one
 * batch per DuckDB chunk (2048 rows), never the whole result at once. Only the columns the caller names are read
 * (projection reaches the Parquet reader); the others are undefined in each row. A row's position is its 1-based row
 * number in the input, so a bad value is reported as `file.parquet row 12: column 3 (click): "2" is not a 0/1 label`.
 */
export async function* readDuckDBRows(
  session: DuckDBSession,
  input: DuckDBInput,
  options: DuckDBRowsOptions = {},
): AsyncGenerator<RowBatch> {
  const fail = (error: unknown): never => {
    if (error instanceof DatasetError) throw error;
    const message = (error as Error).message ?? String(error);
    throw new DatasetError(`DuckDB could not read it: ${message.split('\n')[0]}`, { file: input.file });
  };
  const probe = await session.stream(`SELECT * FROM ${input.relation} LIMIT 0`).catch(fail);
  const names = probe.columnNames();
  const types = probe.columnTypes();
  const layout: FileLayout = { names, fieldCount: names.length, file: input.file };

  const slots: number[] = [];
  const wanted = options.columns ?? names.map((_, i) => i);
  for (const ref of wanted) {
    const slot = typeof ref === 'number' ? ref : names.indexOf(ref);
    // A column the input lacks is left to the column binder, whose error lists the columns that exist.
    if (slot >= 0 && slot < names.length && !slots.includes(slot)) slots.push(slot);
  }
  slots.sort((a, b) => a - b);
  const converters = slots.map((slot) => {
    const convert = toValue(types[slot]!, input.trim);
    if (!convert) {
      throw new DatasetError(`has type ${types[slot]!.toString()}, which is not one value; turn it into a number or text in a query`, {
        file: input.file,
        column: slot,
        columnName: names[slot],
      });
    }
    return convert;
  });

  const counter = options.rowCounter ?? { next: 0 };
  const projection = slots.length > 0 ? slots.map((s) => sqlIdentifier(names[s]!)).join(', ') : '1';
  const limit = options.maxRows !== undefined ? ` LIMIT ${options.maxRows}` : '';
  const result = await session.stream(`SELECT ${projection} FROM ${input.relation}${limit}`).catch(fail);
  let rowNumber = 0;
  for (;;) {
    const chunk = await result.fetchChunk().catch(fail);
    if (!chunk || chunk.rowCount === 0) break;
    const n = chunk.rowCount;
    const batch: RowBatch = {
      layout,
      rows: new Array<RowFields | DatasetError>(n),
      lines: new Array<number>(n),
      rowIndices: new Array<number>(n),
      position: 'row',
    };
    for (let r = 0; r < n; r++) {
      batch.rows[r] = new Array<string | number | undefined>(layout.fieldCount);
      batch.lines[r] = ++rowNumber;
      batch.rowIndices[r] = counter.next++;
    }
    // Column by column: one vector and one converter per loop, as the data is laid out.
    for (let k = 0; k < slots.length; k++) {
      const vector = chunk.getColumnVector(k);
      const convert = converters[k]!;
      const slot = slots[k]!;
      for (let r = 0; r < n; r++) {
        const value = vector.getItem(r);
        if (value !== null) (batch.rows[r] as RowFields)[slot] = convert(value);
      }
    }
    yield batch;
  }
  if (rowNumber === 0) throw new DatasetError('has no rows', { file: input.file });
}
