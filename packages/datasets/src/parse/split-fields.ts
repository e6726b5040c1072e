import { DatasetError } from '../errors/dataset-error.js';

/** Splits one line into trimmed field values. Throws a `DatasetError` (naming the field) on bad quoting. */
export type FieldSplitter = (line: string) => string[];

/**
 * Builds the splitter for a delimiter (any non-empty string, such as `,` or `", "`) and an optional quote
 * character. Unquoted values are trimmed; a value wrapped in quotes is kept verbatim (a doubled quote inside
 * stands for one quote), so that values holding the delimiter or edge spaces survive. Lines without a quote
 * take a fast path through `String.prototype.split`, which keeps large files quick to read.
 */
export function createFieldSplitter(delimiter: string, quote: string | null = '"'): FieldSplitter {
  if (delimiter.length === 0) throw new DatasetError('the delimiter must not be empty');
  if (quote !== null && (quote.length === 0 || delimiter.includes(quote))) {
    throw new DatasetError(`the quote ${JSON.stringify(quote)} must be non-empty and not part of the delimiter`);
  }
  const plain = (line: string): string[] => {
    const fields = line.split(delimiter);
    for (let i = 0; i < fields.length; i++) fields[i] = fields[i]!.trim();
    return fields;
  };
  if (quote === null) return plain;
  return (line) => (line.includes(quote) ? splitQuoted(line, delimiter, quote) : plain(line));
}

/** Spaces and tabs around a quoted value are padding, unless they start the delimiter itself. */
function skipPadding(line: string, from: number, delimiter: string): number {
  let i = from;
  while (i < line.length && (line[i] === ' ' || line[i] === '\t') && !line.startsWith(delimiter, i)) i++;
  return i;
}

function splitQuoted(line: string, delimiter: string, quote: string): string[] {
  const fields: string[] = [];
  let start = 0;
  for (;;) {
    const valueStart = skipPadding(line, start, delimiter);
    if (!line.startsWith(quote, valueStart)) {
      const end = line.indexOf(delimiter, start);
      if (end < 0) {
        fields.push(line.slice(start).trim());
        return fields;
      }
      fields.push(line.slice(start, end).trim());
      start = end + delimiter.length;
      continue;
    }
    let value = '';
    let at = valueStart + quote.length;
    for (;;) {
      const close = line.indexOf(quote, at);
      if (close < 0) {
        throw new DatasetError('unterminated quoted value (a quoted value cannot span lines)', { column: fields.length });
      }
      value += line.slice(at, close);
      if (line.startsWith(quote, close + quote.length)) {
        value += quote;
        at = close + 2 * quote.length;
        continue;
      }
      at = close + quote.length;
      break;
    }
    fields.push(value);
    const after = skipPadding(line, at, delimiter);
    if (after === line.length) return fields;
    if (!line.startsWith(delimiter, after)) {
      throw new DatasetError(`unexpected text ${JSON.stringify(line.slice(after, after + 10))} after a closing quote`, {
        column: fields.length - 1,
      });
    }
    start = after + delimiter.length;
  }
}

/**
 * Writes values as one line that `createFieldSplitter(delimiter, quote)` reads back unchanged. A value is
 * quoted when it holds the delimiter or the quote, has edge spaces, is empty, or ends with the start of the
 * delimiter (`"x |"` before `" | "` would otherwise end the value early).
 */
export function joinFields(values: readonly string[], delimiter: string, quote = '"'): string {
  const needsQuotes = (v: string) =>
    v.length === 0 || v.includes(quote) || v !== v.trim() || (v + delimiter).indexOf(delimiter) !== v.length;
  return values.map((v) => (needsQuotes(v) ? quote + v.split(quote).join(quote + quote) + quote : v)).join(delimiter);
}
