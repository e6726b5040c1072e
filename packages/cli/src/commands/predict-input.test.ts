/**
 * `ektm predict` checks its input against the model's features before scoring: missing columns are an error naming
 * them (or, with --allow-missing, missing values that are counted and reported), unknown columns and values never
 * seen in training are reported, a file in another format is named as such, and errors name the input line.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simulate } from '@ektm/datasets';
import { beforeAll, describe, expect, it } from 'vitest';
import { inProcessCli, scratchFolder, writeSimulatedSpec } from '../testing/cli-harness.js';

const dir = scratchFolder('ektm-predict-');
const simulator = { seed: 4, trainRows: 600, validationRows: 300, testRows: 300 };
const sim = simulate(simulator);
const featureCount = sim.columns.length - 1 - sim.conversions.length;
const featureColumns = sim.columns.slice(0, featureCount);
// Training rows: every value is in the vocabularies (a test row may hold an id the training rows never had).
const rows = sim.splits.train.rows.slice(0, 5).map((r) => r.slice(0, featureCount));

const cli = inProcessCli(dir);

const csv = (header: string[], body: string[][], delimiter = ',') => `${[header, ...body].map((r) => r.join(delimiter)).join('\n')}\n`;

beforeAll(async () => {
  writeSimulatedSpec(dir, simulator);
  const trained = await cli(['train', '--dataset', 'tiny.json', '--model', 'mmoe', '--epochs', '1', '--out', 'model', '--quiet']);
  expect(trained.code, trained.err).toBe(0);
}, 120_000);

describe('ektm predict input checks', () => {
  it('scores well-formed rows and reports nothing', async () => {
    const result = await cli(['predict', '--model', 'model'], { stdin: csv(featureColumns, rows) });
    expect(result.code).toBe(0);
    expect(result.err).toBe('');
    expect(result.out.trim().split('\n')).toHaveLength(6);
  });

  it('refuses rows missing a feature column, naming it and the misspelt column; --allow-missing scores and reports them', async () => {
    const misspelt = [...featureColumns];
    const wanted = misspelt[1]!;
    misspelt[1] = `${wanted}x`;
    const input = csv(misspelt, rows);
    const strict = await cli(['predict', '--model', 'model'], { stdin: input });
    expect(strict.code).toBe(3);
    expect(strict.err).toContain(
      `stdin: missing feature column(s) ${wanted} (in every row); the input has columns the data does not: ${wanted}x.`,
    );
    expect(strict.err).toContain('(ektm predict --allow-missing)');
    expect(strict.out).toBe('');
    const allowed = await cli(['predict', '--model', 'model', '--allow-missing'], { stdin: input });
    expect(allowed.code).toBe(0);
    expect(allowed.err).toContain(`predict: columns not used by the model (ignored): ${wanted}x\n`);
    expect(allowed.err).toContain(`predict: column ${wanted} is missing in 5 of 5 rows; its feature is encoded as a missing value there\n`);
    expect(allowed.out.trim().split('\n')).toHaveLength(6);
  });

  it('reports the share of values never seen in training, per feature', async () => {
    const unseen = rows.map((r, i) => (i < 2 ? ['never-seen-value', ...r.slice(1)] : r));
    const result = await cli(['predict', '--model', 'model'], { stdin: csv(featureColumns, unseen) });
    expect(result.code).toBe(0);
    expect(result.err).toContain(
      `predict: ${featureColumns[0]}: 2 of 5 rows (40.0%) have a value not seen in training (encoded as unknown)`,
    );
  });

  it('names a ;-delimited file and a file with none of the model columns, even with --allow-missing', async () => {
    writeFileSync(join(dir, 'semicolon.csv'), csv(featureColumns, rows, ';'));
    const semicolon = await cli(['predict', '--model', 'model', '--input', 'semicolon.csv', '--allow-missing']);
    expect(semicolon.code).toBe(3);
    expect(semicolon.err).toContain("semicolon.csv: the rows have none of the model's feature columns");
    expect(semicolon.err).toContain('semicolon.csv looks ";"-delimited; predict reads comma-separated CSV with a header line');
    const other = await cli(['predict', '--model', 'model'], { stdin: 'a,b\n1,2\n' });
    expect(other.code).toBe(3);
    expect(other.err).toContain("stdin: the rows have none of the model's feature columns");
  });

  it('refuses a model whose ektm.json was edited (a vocabulary entry renamed): its checksum covers itself', async () => {
    const path = join(dir, 'model', 'ektm.json');
    const original = readFileSync(path, 'utf8');
    const edited = JSON.parse(original);
    const vocabulary = edited.preprocessing.features.find((f: { kind: string }) => f.kind === 'vocabulary');
    vocabulary.values[0] = `${vocabulary.values[0]}-edited`;
    writeFileSync(path, JSON.stringify(edited, null, 2));
    try {
      const result = await cli(['predict', '--model', 'model'], { stdin: csv(featureColumns, rows) });
      expect(result.code).toBe(4);
      expect(result.err).toContain(`${path}: checksum mismatch (the file was modified after it was written`);
    } finally {
      writeFileSync(path, original);
    }
  });

  it('names the input line of a bad value, counting the header and empty lines', async () => {
    writeFileSync(join(dir, 'bad.csv'), `${featureColumns.join(',')}\n${rows[0]!.join(',')}\n\n${rows[1]!.join(',')},extra\n`);
    const result = await cli(['predict', '--model', 'model', '--input', 'bad.csv', '--output', 'scores.csv']);
    expect(result.code).toBe(3);
    expect(result.err).toContain(`bad.csv:4: ${featureCount + 1} fields, but the header has ${featureCount}`);
    expect(() => readFileSync(join(dir, 'scores.csv'))).toThrow();
  });
});
