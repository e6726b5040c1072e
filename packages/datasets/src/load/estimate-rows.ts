import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { constants, gunzipSync } from 'node:zlib';
import type { DatasetSpec } from '../spec/dataset-spec.js';
import type { NormalisedFormat, SplitName } from '../spec/normalised-spec.js';
import type { LoadOptions } from './load-dataset.js';
import { SPLIT_NAMES } from '../spec/normalised-spec.js';
import { readByDuckDB } from '../spec/split-inputs.js';
import { DuckDBSession } from '../duckdb/duckdb-session.js';
import { isRemotePath } from '../duckdb/duckdb-input.js';
import { sqlString } from '../duckdb/sql-text.js';
import { resolveSimulatorOptions } from '../synthetic/simulator-options.js';
import { absolutePath, resolveDataset } from './resolve-dataset.js';

/** Row counts per split, before reading the data; undefined where they cannot be known without running it. */
export type SplitRowEstimate = Record<SplitName, number | undefined>;

/** Bytes read from the top of a text file to measure its line length. */
const SAMPLE_BYTES = 1 << 20;
/** Compressed bytes read from the top of a gzip file (about a megabyte or more once inflated) to measure its ratio too. */
const GZIP_SAMPLE_BYTES = 1 << 18;

/**
 * Estimates the rows of each split without reading the data, so that a caller can choose between loading a
 * dataset into memory and streaming it: exact for Parquet (from its metadata, through DuckDB) and for the
 * simulator; for text files, the file size over the mean line length of its first megabyte (gzip: scaled by that
 * megabyte's compression ratio); unknown (undefined) for JSON files and SQL queries. Split rules move their share of
 * rows (`offsets / everyNth`) from one split to another.
 */
export async function estimateSplitRows(dataset: string | DatasetSpec, options: LoadOptions = {}): Promise<SplitRowEstimate> {
  const resolved = resolveDataset(dataset, options);
  const { spec } = resolved;
  if (spec.synthetic) {
    const o = resolveSimulatorOptions({ ...spec.synthetic, ...options.simulator }, 'simulator');
    return { train: o.trainRows, validation: o.validationRows, test: o.testRows };
  }
  const own: SplitRowEstimate = { train: 0, validation: 0, test: 0 };
  let session: DuckDBSession | undefined;
  try {
    for (const split of SPLIT_NAMES) {
      if (spec.query) {
        own[split] = spec.query[split] === undefined ? 0 : undefined;
        continue;
      }
      for (const entry of spec.files?.[split] ?? []) {
        const path = isRemotePath(entry) ? entry : absolutePath(resolved, entry);
        let rows: number | undefined;
        if (/\.parquet$/i.test(entry)) {
          session ??= await DuckDBSession.open(resolved.baseDir, options.duckdb ?? {}, { key: `files.${split}`, file: spec.source });
          // From the footers only; with maxRowsPerFile, each file's count is capped as the reader caps it.
          const cap = options.maxRowsPerFile ?? Number.MAX_SAFE_INTEGER;
          const counts = await session.rows(`SELECT num_rows FROM parquet_file_metadata(${sqlString(path)})`);
          rows = counts.reduce((sum, [count]) => sum + Math.min(Number(count), cap), 0);
        } else if (/\.(json|jsonl|ndjson)$/i.test(entry) || isRemotePath(entry)) {
          rows = undefined;
        } else if (readByDuckDB(entry)) {
          session ??= await DuckDBSession.open(resolved.baseDir, options.duckdb ?? {}, { key: `files.${split}`, file: spec.source });
          const files = (await session.rows(`SELECT file FROM glob(${sqlString(path)})`)).map((row) => String(row[0]));
          rows = files.reduce((sum, file) => sum + textRows(file, spec.format, options.maxRowsPerFile), 0);
        } else {
          rows = textRows(path, spec.format, options.maxRowsPerFile);
        }
        own[split] = own[split] === undefined || rows === undefined ? undefined : own[split] + rows;
      }
    }
  } finally {
    session?.close();
  }
  const out: SplitRowEstimate = { ...own };
  for (const target of ['validation', 'test'] as const) {
    const rule = spec.split[target];
    if (!rule) continue;
    const from = own[rule.from];
    const moved = from === undefined ? undefined : Math.round((from * rule.offsets.length) / rule.everyNth);
    out[target] = moved === undefined || out[target] === undefined ? undefined : out[target] + moved;
    out[rule.from] = moved === undefined || out[rule.from] === undefined ? undefined : out[rule.from]! - moved;
  }
  return out;
}

/** Data rows of a text file: counted when the file fits in the sample, else its size over the sample's mean line length. */
function textRows(path: string, format: NormalisedFormat, maxRows: number | undefined): number {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    return 0; // A missing file fails later, with the reader's message.
  }
  const fd = openSync(path, 'r');
  let sample: Buffer;
  try {
    const magic = Buffer.alloc(2);
    readSync(fd, magic, 0, 2, 0);
    const gzip = magic[0] === 0x1f && magic[1] === 0x8b;
    sample = Buffer.alloc(Math.min(gzip ? GZIP_SAMPLE_BYTES : SAMPLE_BYTES, size));
    readSync(fd, sample, 0, sample.length, 0);
  } finally {
    closeSync(fd);
  }
  let text = sample;
  let ratio = 1;
  if (sample[0] === 0x1f && sample[1] === 0x8b) {
    text = gunzipSync(sample, { finishFlush: constants.Z_SYNC_FLUSH });
    ratio = text.length / Math.max(1, sample.length);
  }
  const lines = text.toString('utf8').split('\n');
  const complete = sample.length === size;
  if (!complete) lines.pop(); // the last line of a sample is cut
  const data = lines.filter((line, i) => i >= format.skipLines && line.trim().length > 0);
  const header = format.header === true ? 1 : 0;
  const meanLine = data.reduce((sum, line) => sum + Buffer.byteLength(line) + 1, 0) / Math.max(1, data.length);
  const rows = complete ? data.length - header : Math.round((size * ratio) / meanLine) - header;
  return Math.max(0, Math.min(rows, maxRows ?? Infinity));
}
