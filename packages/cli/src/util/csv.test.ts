import { describe, expect, it } from 'vitest';
import { csvLine, parseCsv, parseCsvRecords } from './csv.js';

describe('csv', () => {
  it('parses quoted fields, doubled quotes, CRLF and a missing final newline', () => {
    expect(parseCsvRecords('a,b\r\n"x, y","say ""hi"""\n1,\n')).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"'],
      ['1', ''],
    ]);
    expect(parseCsvRecords('a\n1')).toEqual([['a'], ['1']]);
  });

  it('maps rows to records by header and names a line with the wrong field count', () => {
    expect(parseCsv('u,i\n1,2\n3,4\n').rows).toEqual([
      { u: '1', i: '2' },
      { u: '3', i: '4' },
    ]);
    expect(() => parseCsv('u,i\n1,2\n3\n')).toThrow('CSV input:3: 1 fields, but the header has 2 (u, i)');
    expect(() => parseCsv('u,i\n1,2\n\n3\n', 'rows.csv')).toThrow('rows.csv:4: 1 fields, but the header has 2 (u, i)');
    expect(() => parseCsv('')).toThrow('CSV input is empty');
    expect(() => parseCsv('a\n"open')).toThrow('ends inside a quoted field');
  });

  it('gives the line every row starts on, counting empty lines, CRLF and line breaks inside quotes', () => {
    expect(parseCsv('u,i\n1,2\n\n3,4\n').lines).toEqual([2, 4]);
    expect(parseCsv('u,i\r\n1,2\r\n\r\n"a\nb",4\r\n5,6\r\n').lines).toEqual([2, 4, 6]);
  });

  it('writes fields that round-trip', () => {
    const line = csvLine(['plain', 'a,b', 'q"uote', 0.5]);
    expect(line).toBe('plain,"a,b","q""uote",0.5\n');
    expect(parseCsvRecords(line)).toEqual([['plain', 'a,b', 'q"uote', '0.5']]);
  });
});
