import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { convertCsvToParquet } from '@ektm/datasets';
import type { TextSink } from '../cli/io.js';
import { csvLine } from '../util/csv.js';

/** Where predictions go, chunk by chunk: CSV to a sink or a file, or a Parquet file. */
export interface ScoreWriter {
  /** Appends the probabilities of `rows` rows (one array per task, in the model's task order). */
  write(tasks: Record<string, Float32Array>, rows: number): void;
  /** Completes the output (the file appears whole, or not at all). */
  finish(): Promise<void>;
  /** Drops a half-written output (after an error), leaving any earlier file at the path as it was. */
  abort(): void;
  /** Rows written so far. */
  readonly rows: number;
}

/**
 * Opens the output of `ektm predict`: a path ending in `.parquet` gets a Parquet file (one FLOAT column per task,
 * through DuckDB), any other path a CSV file, and `-` or no path standard output. Files are written as they stream,
 * to a temporary file that is renamed into place at the end, so memory does not grow with the rows.
 */
export function openScoreWriter(path: string | undefined, stdout: TextSink): ScoreWriter {
  const toSink = path === undefined || path === '-';
  const parquet = !toSink && /\.parquet$/i.test(path);
  const temporary = toSink ? '' : `${path}.${process.pid}.${Date.now()}.${parquet ? 'csv.' : ''}tmp`;
  let fd = -1;
  let names: string[] | undefined;
  let rows = 0;
  const emit = (text: string) => {
    if (toSink) return stdout.write(text);
    if (fd < 0) {
      mkdirSync(dirname(path), { recursive: true });
      fd = openSync(temporary, 'w');
    }
    writeSync(fd, text);
  };
  return {
    get rows() {
      return rows;
    },
    write(tasks, count) {
      if (!names) {
        names = Object.keys(tasks);
        emit(csvLine(names));
      }
      let text = '';
      for (let r = 0; r < count; r++) text += csvLine(names.map((n) => Number(tasks[n]![r]!.toPrecision(6))));
      emit(text);
      rows += count;
    },
    async finish() {
      if (toSink) return;
      if (fd < 0) emit('');
      closeSync(fd);
      fd = -2;
      try {
        if (parquet)
          await convertCsvToParquet(
            temporary,
            path,
            (names ?? []).map((n) => [n, 'FLOAT'] as [string, 'FLOAT']),
          );
        else renameSync(temporary, path);
      } finally {
        rmSync(temporary, { force: true });
      }
    },
    abort() {
      if (fd >= 0) closeSync(fd);
      if (!toSink) rmSync(temporary, { force: true });
    },
  };
}
