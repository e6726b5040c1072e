import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DatasetError, createFieldSplitter, joinFields } from '../index.js';

const DELIMITERS = [',', ', ', '\t', ';', '||', ' | ', '::'];
/** Field text without line breaks (a row is one line). */
const fieldText = fc.string({ unit: 'grapheme', maxLength: 12 }).map((s) => s.replace(/[\r\n]/g, ''));
const anyText = fc.string({ unit: 'binary', maxLength: 60 });

describe('createFieldSplitter', () => {
  it('splits on a multi-character delimiter and trims values', () => {
    const split = createFieldSplitter(', ');
    expect(split('38, Private, 6, Foreign born- Not a citizen of U S , 0')).toEqual([
      '38',
      'Private',
      '6',
      'Foreign born- Not a citizen of U S',
      '0',
    ]);
    expect(split('a,b, c')).toEqual(['a,b', 'c']);
    expect(split('')).toEqual(['']);
    expect(split('a, ')).toEqual(['a', '']);
  });

  it('keeps quoted values verbatim, with doubled quotes and delimiters inside', () => {
    const split = createFieldSplitter(',');
    expect(split('1,"Smith, John"," padded ","say ""hi"""')).toEqual(['1', 'Smith, John', ' padded ', 'say "hi"']);
    expect(split(' "x" , y')).toEqual(['x', 'y']);
    expect(split('ab"c,d')).toEqual(['ab"c', 'd']);
    expect(createFieldSplitter(',', null)('"a,b"')).toEqual(['"a', 'b"']);
  });

  it('reports bad quoting with the field index', () => {
    const split = createFieldSplitter(',');
    expect(() => split('a,"b')).toThrow(DatasetError);
    const error = (() => {
      try {
        split('a,"b"c,d');
      } catch (e) {
        return e as DatasetError;
      }
    })();
    expect(error).toBeInstanceOf(DatasetError);
    expect(error!.column).toBe(1);
    expect(error!.detail).toBe('unexpected text "c,d" after a closing quote');
  });

  it('property: any values written by joinFields read back exactly, for every delimiter', () => {
    fc.assert(
      fc.property(fc.constantFrom(...DELIMITERS), fc.array(fieldText, { minLength: 1, maxLength: 8 }), (delimiter, values) => {
        const line = joinFields(values, delimiter);
        expect(createFieldSplitter(delimiter)(line)).toEqual(values);
      }),
      { numRuns: 2000 },
    );
  });

  it('property: unquoted values without the delimiter read back trimmed, in the same number', () => {
    fc.assert(
      fc.property(fc.constantFrom(...DELIMITERS), fc.array(fieldText, { minLength: 1, maxLength: 8 }), (delimiter, raw) => {
        const values = raw.map((v) =>
          v
            .replaceAll('"', '')
            .replaceAll(delimiter, '')
            .replaceAll(delimiter.trim() || delimiter, ''),
        );
        const line = values.join(delimiter);
        const fields = createFieldSplitter(delimiter, null)(line);
        expect(fields).toEqual(line.split(delimiter).map((v) => v.trim()));
      }),
      { numRuns: 1000 },
    );
  });

  it('property: random and broken lines either split or raise a DatasetError naming a field, never anything else', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...DELIMITERS),
        fc.oneof(
          anyText,
          fc.array(fc.constantFrom('"', ',', ' ', 'a', '\t', '|', '""'), { maxLength: 30 }).map((p) => p.join('')),
        ),
        (delimiter, line) => {
          try {
            const fields = createFieldSplitter(delimiter)(line);
            expect(fields.length).toBeGreaterThanOrEqual(1);
            for (const f of fields) expect(typeof f).toBe('string');
          } catch (error) {
            expect(error).toBeInstanceOf(DatasetError);
            expect(typeof (error as DatasetError).column).toBe('number');
          }
        },
      ),
      { numRuns: 3000 },
    );
  });
});
