/** The columns of one data file, known once its header (or first row) has been read. */
export interface FileLayout {
  /** Column names by position, from the header or `format.columns`; absent when columns are only numbered. */
  names?: readonly string[];
  /** Positional fields per row (with `keyValue`: the leading fields before the `key:value` pairs). */
  fieldCount: number;
  /** Rows end in `key<separator>value` fields from index `from` on. */
  keyValue?: { from: number; separator: string };
  /** The file the layout was read from, for error messages. */
  file?: string;
  /** 1-based line of the header, when the file has one. */
  headerLine?: number;
}
