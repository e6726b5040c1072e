import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { gzipSync } from 'node:zlib';
import { tempDir } from '../../test/temp-dir.js';
import { DatasetError, joinFields, loadDataset } from '../index.js';
import type { DatasetSpec, VocabularyFeature } from '../index.js';

const files = tempDir();
let fileCounter = 0;

const DELIMITERS = [',', ', ', '\t', ';', '||', ' | '];
/** Categorical values: any text without line breaks that is not blank (blank = missing). */
const category = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 8 })
  .map((s) => s.replace(/[\r\n]/g, 'x'))
  .filter((s) => s.trim().length > 0);
const number = fc.oneof(fc.integer({ min: -1e6, max: 1e6 }), fc.double({ min: -1e6, max: 1e6, noNaN: true }));
const row = fc.record({ name: category, value: number, label: fc.constantFrom(0, 1) });

function specFor(path: string, delimiter: string, extra: Partial<DatasetSpec> = {}): DatasetSpec {
  return {
    name: 'property',
    format: { delimiter, header: true },
    files: { train: path, validation: path },
    features: [
      { column: 'name', type: 'categorical' },
      { column: 'value', type: 'numeric' },
    ],
    tasks: [{ name: 'label', column: 'label' }],
    ...extra,
  };
}

describe('property-based: loading random and broken files', () => {
  it('never silently misreads a row: every value of a random table comes back exactly (plain and gzip)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...DELIMITERS),
        fc.array(row, { minLength: 1, maxLength: 40 }),
        fc.boolean(),
        async (delimiter, rows, gzip) => {
          const lines = [
            joinFields(['name', 'value', 'label'], delimiter),
            ...rows.map((r) => joinFields([r.name, String(r.value), String(r.label)], delimiter)),
          ];
          const text = lines.join('\n') + '\n';
          const name = `table-${fileCounter++}.csv${gzip ? '.gz' : ''}`;
          if (gzip) files.writeGzip(name, text);
          else files.write(name, text);
          const data = await loadDataset(specFor(name, delimiter), { baseDir: files.dir });
          const table = data.splits.train;
          expect(table.rows).toBe(rows.length);
          const vocabulary = (data.preprocessor.fittedFeatures[0] as VocabularyFeature).values;
          rows.forEach((r, i) => {
            expect(vocabulary[table.categorical[i]! - 1]).toBe(r.name);
            // The file holds String(value): -0 is written as "0".
            expect(table.numeric[i]).toBe(Math.fround(Number(String(r.value))));
            expect(table.labels.label![i]).toBe(r.label);
          });
        },
      ),
      { numRuns: 60 },
    );
  });

  it('broken files (mutated text, random bytes, truncated gzip) load or raise a DatasetError naming the file, never anything else', async () => {
    const base = ['name,value,label', 'a,1,0', 'b,2.5,1', '"c, d",-3,0', 'e,4e2,1'].join('\n') + '\n';
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.string({ unit: 'binary', maxLength: 4 }) }),
      fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 6 }) }),
      fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
    );
    const input = fc.oneof(
      fc.array(mutation, { minLength: 1, maxLength: 5 }).map((ms) => {
        let text = base;
        for (const m of ms) {
          const at = m.at % (text.length + 1);
          if (m.kind === 'insert') text = text.slice(0, at) + m.text + text.slice(at);
          else if (m.kind === 'delete') text = text.slice(0, at) + text.slice(at + m.length);
          else text = text.slice(0, at);
        }
        return { bytes: Buffer.from(text), gz: false };
      }),
      fc.tuple(fc.uint8Array({ maxLength: 200 }), fc.boolean()).map(([b, gz]) => ({ bytes: Buffer.from(b), gz })),
      fc.nat().map((cut) => {
        const zipped = gzipSync(Buffer.from(base.repeat(50)));
        return { bytes: zipped.subarray(0, cut % zipped.length), gz: true };
      }),
    );
    await fc.assert(
      fc.asyncProperty(input, fc.constantFrom(0, 2), async ({ bytes, gz }, maxBadRows) => {
        const name = `broken-${fileCounter++}.csv${gz ? '.gz' : ''}`;
        files.write(name, bytes);
        try {
          const data = await loadDataset(specFor(name, ','), { baseDir: files.dir, maxBadRows });
          expect(data.badRows.count).toBeLessThanOrEqual(maxBadRows);
          for (const v of data.splits.train.labels.label!) expect(v === 0 || v === 1).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(DatasetError);
          const e = error as DatasetError;
          expect(e.file ?? '').toContain('broken-');
          expect(e.message.startsWith(name)).toBe(true);
        }
      }),
      { numRuns: 150 },
    );
  });
});
