/**
 * What the rows given to `Preprocessor.encodeRows` looked like next to what the model was trained on: columns it
 * needs that are missing, columns it does not know, and values it never saw. Serving code (and `ektm predict`)
 * reports it, so that wrong input is never answered with a silent score.
 */
export interface InputReport {
  /** Rows encoded. */
  rows: number;
  /**
   * Feature columns missing from the input (records only: keys absent from rows), each with the rows that lack it.
   * Present only when they were allowed (`missingColumns: 'allow'`); otherwise they are an error.
   */
  missingColumns: Array<{
    /** The column (record key) the model's feature is read from. */
    column: string;
    /** Rows that lack it. */
    rows: number;
  }>;
  /** Record keys that are no column of the training data (misspelt names, extra fields): ignored. */
  unknownColumns: string[];
  /** Per categorical feature with a vocabulary: rows whose value was not in it (encoded as unknown, index 0). */
  unseen: Array<{
    /** Feature name. */
    feature: string;
    /** Rows with a value not seen (often enough) in training. */
    rows: number;
    /** `rows` as a share of all rows. */
    share: number;
  }>;
}

/** How `encodeRows` treats feature columns missing from records. */
export type MissingColumns = 'error' | 'allow';

/** One line per finding of a report, for logs: unknown columns, missing columns, unseen values (share over 0). */
export function describeInputReport(report: InputReport): string[] {
  const lines: string[] = [];
  const pct = (share: number) => `${(100 * share).toFixed(1)}%`;
  if (report.unknownColumns.length) lines.push(`columns not used by the model (ignored): ${report.unknownColumns.join(', ')}`);
  for (const m of report.missingColumns) {
    lines.push(`column ${m.column} is missing in ${m.rows} of ${report.rows} rows; its feature is encoded as a missing value there`);
  }
  for (const u of report.unseen) {
    lines.push(`${u.feature}: ${u.rows} of ${report.rows} rows (${pct(u.share)}) have a value not seen in training (encoded as unknown)`);
  }
  return lines;
}
