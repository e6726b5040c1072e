import { DataError } from '@ektm/core';
import { fileName } from './file-name.js';

/** Where a dataset error happened: enough to open the file at the right line, or to fix the right spec key. */
export interface DatasetErrorLocation {
  /** The file being read (a data file, or the spec file for spec errors). */
  file?: string;
  /** 1-based physical line number in `file`. */
  line?: number;
  /** 0-based field index, or the key of a `key:value` field, that holds the bad value. */
  column?: number | string;
  /** The column's name from the header or `format.columns`, when it has one. */
  columnName?: string;
  /** JSON key path in the spec, such as `features[3].transform`. */
  key?: string;
}

/**
 * Every malformed input (a bad row, a bad spec, a corrupt or empty file) raises this error, so that callers
 * can tell bad data from bugs and users can go straight to the file, line and column at fault.
 * The message reads `file.csv:123: column 5 (wage): "abc" is not a number`.
 */
export class DatasetError extends DataError {
  /** Always `DatasetError`, so that logs and `instanceof`-free checks can tell it apart. */
  override readonly name = 'DatasetError';
  /** The problem itself, without the location prefix. */
  readonly detail: string;
  /** 0-based field index (or `key:value` key) of the bad value. */
  readonly column?: number | string;
  /** The bad column's name, when it has one. */
  readonly columnName?: string;
  /** JSON key path in the spec, for spec errors. */
  readonly key?: string;

  constructor(detail: string, where: DatasetErrorLocation = {}) {
    super(formatDatasetError(detail, where), {
      file: where.file,
      line: where.line,
      field: where.columnName ?? (where.column === undefined ? where.key : String(where.column)),
    });
    this.detail = detail;
    this.column = where.column;
    this.columnName = where.columnName;
    this.key = where.key;
  }

  /** The same error with more location filled in (inner parsers know the column; the file reader knows the line). */
  locate(where: DatasetErrorLocation): DatasetError {
    return new DatasetError(this.detail, {
      file: this.file ?? where.file,
      line: this.line ?? where.line,
      column: this.column ?? where.column,
      columnName: this.columnName ?? where.columnName,
      key: this.key ?? where.key,
    });
  }

  /** The same error with a note appended to its detail (for instance the maxBadRows budget). */
  withDetail(extra: string): DatasetError {
    return new DatasetError(`${this.detail}${extra}`, this);
  }
}

function formatDatasetError(detail: string, where: DatasetErrorLocation): string {
  const parts: string[] = [];
  if (where.file !== undefined) parts.push(where.line !== undefined ? `${fileName(where.file)}:${where.line}` : fileName(where.file));
  else if (where.line !== undefined) parts.push(`line ${where.line}`);
  if (where.key !== undefined) parts.push(where.key);
  if (where.column !== undefined) {
    const label = typeof where.column === 'number' ? `column ${where.column}` : `field "${where.column}"`;
    const named = where.columnName !== undefined && where.columnName !== String(where.column);
    parts.push(named ? `${label} (${where.columnName})` : label);
  }
  parts.push(detail);
  return parts.join(': ');
}
