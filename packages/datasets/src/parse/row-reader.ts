import type { NormalisedFormat } from '../spec/normalised-spec.js';
import type { FileLayout } from './file-layout.js';
import { DatasetError } from '../errors/dataset-error.js';
import { createFieldSplitter } from './split-fields.js';
import { readLineBatches } from './line-reader.js';
import { fieldCountProblem } from './field-count.js';

/** A batch of split data rows of one file, with their line numbers and row indices. */
export interface RowBatch {
  /** The file's columns (the same object for every batch of a file). */
  layout: FileLayout;
  /** Trimmed field values per row, or the error of a row that could not be split or has the wrong field count. */
  rows: Array<string[] | DatasetError>;
  /** 1-based line number of each row. */
  lines: number[];
  /** 0-based index of each row among the file's data lines, counting bad rows too (so splits stay fixed). */
  rowIndices: number[];
}

/** Options of {@link readRows}. */
export interface ReadRowsOptions {
  /** Stop after this many data rows. */
  maxRows?: number;
  /** Row index counter, shared by the files of one split so that indices run on across them. */
  rowCounter?: { next: number };
}

/**
 * Reads a data file as batches of split rows: skips `skipLines` and blank lines, reads the header, and checks
 * every row's field count. A row that cannot be split or has the wrong number of fields comes through as its
 * `DatasetError` (file, line, column), in file order, for the caller to count or throw. An empty file, or one
 * without data rows, is an error.
 */
export async function* readRows(path: string, format: NormalisedFormat, options: ReadRowsOptions): AsyncGenerator<RowBatch> {
  const split = createFieldSplitter(format.delimiter, format.quote);
  const maxRows = options.maxRows ?? Infinity;
  let layout: FileLayout | undefined;
  let lineNo = 0;
  let sawText = false;
  const counter = options.rowCounter ?? { next: 0 };
  let dataRows = 0;

  let out: RowBatch | undefined;
  const push = (row: string[] | DatasetError) => {
    dataRows++;
    out!.rows.push(row);
    out!.lines.push(lineNo);
    out!.rowIndices.push(counter.next++);
  };
  for await (const lines of readLineBatches(path)) {
    out = layout ? { layout, rows: [], lines: [], rowIndices: [] } : undefined;
    for (const line of lines) {
      lineNo++;
      if (lineNo <= format.skipLines) continue;
      if (line.length === 0 || line.trim().length === 0) continue;
      sawText = true;
      let fields: string[];
      try {
        fields = split(line);
      } catch (error) {
        if (!(error instanceof DatasetError)) throw error;
        if (!layout) throw error.locate({ file: path, line: lineNo });
        if (dataRows >= maxRows) break;
        push(error.locate({ file: path, line: lineNo, columnName: layout.names?.[error.column as number] }));
        continue;
      }
      if (!layout) {
        const header = startLayout(path, format, fields, lineNo);
        layout = header.layout;
        out = { layout, rows: [], lines: [], rowIndices: [] };
        if (header.isHeader) continue;
      }
      if (dataRows >= maxRows) break;
      const problem = fieldCountProblem(fields.length, layout);
      push(problem ? new DatasetError(problem, { file: path, line: lineNo }) : fields);
    }
    if (out && out.rows.length > 0) yield out;
    if (dataRows >= maxRows) return;
  }
  if (lineNo === 0 || !sawText) throw new DatasetError('the file is empty', { file: path });
  if (dataRows === 0) throw new DatasetError('the file has a header but no data rows', { file: path, line: lineNo });
}

/** Works out the columns from the first non-blank line: a header, or the first data row. */
function startLayout(path: string, format: NormalisedFormat, fields: string[], lineNo: number): { layout: FileLayout; isHeader: boolean } {
  const keyValue = format.keyValue;
  let isHeader = format.header === true;
  if (format.header === 'auto') {
    const expected = format.columns!;
    isHeader = fields.length === expected.length && fields.every((f, i) => f === expected[i]);
  }
  if (isHeader) {
    const seen = new Map<string, number>();
    fields.forEach((name, i) => {
      if (name.length === 0) throw new DatasetError('empty column name in the header', { file: path, line: lineNo, column: i });
      if (seen.has(name)) {
        throw new DatasetError(`duplicate column name "${name}" in the header (also column ${seen.get(name)})`, {
          file: path,
          line: lineNo,
          column: i,
        });
      }
      seen.set(name, i);
    });
    if (format.columns && format.header === true && !sameList(fields, format.columns)) {
      throw new DatasetError(`the header does not match format.columns (${format.columns.length} names)`, { file: path, line: lineNo });
    }
    return { layout: { names: fields, fieldCount: fields.length, file: path, headerLine: lineNo }, isHeader: true };
  }
  if (keyValue) {
    return { layout: { names: format.columns, fieldCount: keyValue.from, keyValue, file: path }, isHeader: false };
  }
  return { layout: { names: format.columns, fieldCount: format.columns?.length ?? fields.length, file: path }, isHeader: false };
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
