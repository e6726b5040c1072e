import { closeSync, existsSync, fsyncSync, openSync, readFileSync, truncateSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, DataError } from '@ektm/core';
import { writeFileAtomic } from '../util/atomic-write.js';
import { identityDifferences } from './search-identity.js';
import type { SearchIdentity, TrialRecord, TrialsHeader } from './trial-record.js';

/** The name of the trials file inside a search's folder. */
export const TRIALS_FILE = 'trials.jsonl';

/** What {@link TrialsFile.open} found: the file, its records and its header. */
export interface OpenedTrials {
  /** The file, ready for appending. */
  file: TrialsFile;
  /** Every finished trial run recorded, in file order. */
  records: TrialRecord[];
  /** The header of the file (new or existing). */
  header: TrialsHeader;
  /** Whether a truncated last line (a run cut off while its line was written) was dropped; that run is done again. */
  droppedTruncatedLine: boolean;
}

function isRecord(value: unknown): value is TrialRecord {
  const r = value as Partial<TrialRecord> | null;
  return (
    typeof r === 'object' &&
    r !== null &&
    r.type === 'trial' &&
    Number.isInteger(r.trial) &&
    Number.isInteger(r.rung) &&
    typeof r.resource === 'number' &&
    typeof r.config === 'object' &&
    r.config !== null &&
    (r.status === 'ok' || r.status === 'diverged' || r.status === 'failed')
  );
}

/**
 * The append-only log of a search: `DIR/trials.jsonl`, a header line then one line per finished trial run. Every line
 * is written with one `write` of the whole line and flushed to the disk (`fsync`) before the next run is recorded, so a
 * killed search loses at most the runs that had not finished.
 */
export class TrialsFile {
  private constructor(
    /** Path of the file. */
    readonly path: string,
  ) {}

  /** Appends one record as one line and flushes it to the disk. */
  append(record: TrialRecord): void {
    const fd = openSync(this.path, 'a');
    try {
      writeSync(fd, `${JSON.stringify(record)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  /**
   * Creates the file with its header (atomically: a reader sees no file or the whole header), or opens it: refuses the
   * file of another search (saying what differs), drops a truncated last line, and returns the recorded runs.
   */
  static open(dir: string, identity: SearchIdentity): OpenedTrials {
    const path = join(dir, TRIALS_FILE);
    if (!existsSync(path)) {
      const header: TrialsHeader = { type: 'header', format: 'ektm-trials', version: 1, identity, createdAt: new Date().toISOString() };
      writeFileAtomic(path, `${JSON.stringify(header)}\n`);
      return { file: new TrialsFile(path), records: [], header, droppedTruncatedLine: false };
    }
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      throw new DataError(
        `cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
        { file: path },
        { cause: error },
      );
    }
    const lines = text.split('\n');
    // The text after the last newline is a line cut off by a kill (or empty): it is dropped, and its run is done again.
    const tail = lines.pop() ?? '';
    let droppedTruncatedLine = tail.trim() !== '';
    let keptLength = text.length - tail.length;
    if (lines.length === 0)
      throw new DataError(`${path} has no header line; it is not a trials file of ektm tune (delete it or use another --out)`, {
        file: path,
        line: 1,
      });
    const header = parseLine(lines[0]!, path, 1) as TrialsHeader;
    if (header?.type !== 'header' || header.format !== 'ektm-trials' || typeof header.identity !== 'object') {
      throw new DataError(`${path}:1: not the header of an ektm tune trials file (delete it or use another --out)`, {
        file: path,
        line: 1,
      });
    }
    const differences = identityDifferences(header.identity, identity);
    if (differences.length > 0) {
      throw new ConfigError(
        `${path} belongs to another search (${differences.join('; ')}); its trials cannot be reused: use another --out, or run the same command as before`,
        'out',
        path,
      );
    }
    const records: TrialRecord[] = [];
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i]!;
      if (line.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (error) {
        if (i === lines.length - 1 && tail === '') {
          // The last complete line does not parse: a torn write; drop it like a truncated one.
          droppedTruncatedLine = true;
          keptLength -= line.length + 1;
          break;
        }
        throw new DataError(
          `${path}:${i + 1}: not a JSON record (${(error as Error).message}); the file was changed by hand?`,
          { file: path, line: i + 1 },
          { cause: error },
        );
      }
      if (!isRecord(value)) throw new DataError(`${path}:${i + 1}: not a trial record of ektm tune`, { file: path, line: i + 1 });
      records.push(value);
    }
    if (droppedTruncatedLine) truncateSync(path, Buffer.byteLength(text.slice(0, keptLength)));
    return { file: new TrialsFile(path), records, header, droppedTruncatedLine };
  }
}

function parseLine(line: string, path: string, lineNumber: number): unknown {
  try {
    return JSON.parse(line);
  } catch (error) {
    throw new DataError(
      `${path}:${lineNumber}: not JSON (${(error as Error).message})`,
      { file: path, line: lineNumber },
      { cause: error },
    );
  }
}
