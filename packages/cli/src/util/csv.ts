/**
 * Minimal RFC 4180 CSV: comma-separated, fields optionally quoted with `"` (a doubled `""` inside quotes is a
 * quote), CRLF or LF line ends. Enough for `ektm predict` input and output; no dependency.
 */
import { DataError } from '@ektm/core';

/** A parsed CSV file. */
export interface ParsedCsv {
  /** Column names from the header line. */
  header: string[];
  /** One record per data line, keyed by column name. */
  rows: Record<string, string>[];
  /** The 1-based line of the input each row starts on (the header is line 1; empty lines are skipped but counted). */
  lines: number[];
}

/** Parses CSV text with a header line into the header and one record per data line (empty lines skipped). */
export function parseCsv(text: string, source = 'CSV input'): ParsedCsv {
  const starts: number[] = [];
  const records = parseCsvRecords(text, starts);
  if (records.length === 0) throw new DataError(`${source} is empty; expected a header line naming the columns`, { file: source });
  const header = records[0]!.map((h) => h.trim());
  const lines = starts.slice(1);
  const rows = records.slice(1).map((fields, i) => {
    if (fields.length !== header.length) {
      throw new DataError(`${source}:${lines[i]}: ${fields.length} fields, but the header has ${header.length} (${header.join(', ')})`, {
        file: source,
        line: lines[i],
      });
    }
    const row: Record<string, string> = {};
    header.forEach((h, j) => (row[h] = fields[j]!));
    return row;
  });
  return { header, rows, lines };
}

/** Splits CSV text into records of fields; `starts` (when given) receives the 1-based line each record starts on. */
export function parseCsvRecords(text: string, starts?: number[]): string[][] {
  const records: string[][] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let fieldStarted = false;
  let line = 1;
  let recordLine = 1;
  const endRecord = () => {
    if (fieldStarted || fields.length > 0) {
      fields.push(field);
      records.push(fields);
      starts?.push(recordLine);
    }
    fields = [];
    field = '';
    fieldStarted = false;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (!fieldStarted && fields.length === 0) recordLine = line;
    if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) line++;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"' && field === '') {
      quoted = true;
      fieldStarted = true;
    } else if (c === ',') {
      fields.push(field);
      field = '';
      fieldStarted = true;
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') {
        i++;
        line++;
      }
      endRecord();
    } else {
      field += c;
      fieldStarted = true;
    }
  }
  if (quoted) throw new DataError('CSV input ends inside a quoted field');
  endRecord();
  return records;
}

/** Quotes a field when it holds a comma, quote or line break. */
function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV line (LF-terminated). */
export function csvLine(values: ReadonlyArray<string | number>): string {
  return `${values.map(csvField).join(',')}\n`;
}
