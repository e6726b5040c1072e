import { EktmError } from './ektm-error.js';

/** Where in the input a {@link DataError} was found. Every field is optional; give as many as are known. */
export interface DataErrorLocation {
  /** The data file (or spec file) being read. */
  file?: string;
  /** 1-based line number in `file`. */
  line?: number;
  /** The field (column name) or feature that holds the bad value. */
  field?: string;
  /** 0-based row index in a table that has no file (rows given in code). */
  row?: number;
}

/**
 * Bad input data: a malformed row, a value of the wrong type, a missing column, an id outside the vocabulary,
 * a label that is not 0/1. The message names the file, the line and the field, so that the user can open the
 * file at the right place.
 */
export class DataError extends EktmError {
  /** The class name, shown in stack traces and by `String(error)`. */
  override readonly name: string = 'DataError';
  readonly kind = 'data' as const;
  /** The data file (or spec file) being read. */
  readonly file?: string;
  /** 1-based line number in `file`. */
  readonly line?: number;
  /** The field or feature at fault. */
  readonly field?: string;
  /** 0-based row index of an in-memory table. */
  readonly row?: number;

  /** `options.cause`: the error that revealed the problem (a parse error, a failed read). */
  constructor(message: string, where: DataErrorLocation = {}, options?: ErrorOptions) {
    super(message, options);
    this.file = where.file;
    this.line = where.line;
    this.field = where.field;
    this.row = where.row;
  }
}
