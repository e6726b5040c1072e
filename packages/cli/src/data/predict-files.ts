import type { MultiTaskModel } from '@ektm/core';
import { encodeFiles, type EncodeFilesOptions, type Preprocessor } from '@ektm/datasets';
import type { ScoreWriter } from './score-writer.js';

/** Whether `ektm predict --input` names files DuckDB reads (Parquet, JSON, or a glob of shards) rather than one CSV. */
export function streamsInput(input: string | undefined): boolean {
  return input !== undefined && input !== '-' && (/[*?[]/.test(input) || /\.(parquet|json|jsonl|ndjson)$/i.test(input));
}

/**
 * Scores files far larger than memory: rows stream in through DuckDB (`encodeFiles`, with the preprocessing saved
 * beside the model), are predicted chunk by chunk, and stream out to `writer`, in input order. Each input's columns
 * are checked against the model's features first (`checks`: missing feature columns, and the report of the rows).
 */
export async function predictFiles(
  model: MultiTaskModel,
  preprocessor: Preprocessor,
  input: string,
  cwd: string,
  writer: ScoreWriter,
  checks: Pick<EncodeFilesOptions, 'missingColumns' | 'onReport'> = {},
): Promise<void> {
  for await (const chunk of encodeFiles(preprocessor, input, { baseDir: cwd, ...checks })) {
    writer.write(model.predict(chunk, { batchSize: 8192 }).tasks, chunk.rows);
  }
}
