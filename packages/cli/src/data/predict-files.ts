import type { MultiTaskModel } from '@ektm/core';
import { encodeFiles, type Preprocessor } from '@ektm/datasets';
import type { ScoreWriter } from './score-writer.js';

/** Whether `ektm predict --input` names files DuckDB reads (Parquet, JSON, or a glob of shards) rather than one CSV. */
export function streamsInput(input: string | undefined): boolean {
  return input !== undefined && input !== '-' && (/[*?[]/.test(input) || /\.(parquet|json|jsonl|ndjson)$/i.test(input));
}

/**
 * Scores files far larger than memory: rows stream in through DuckDB (`encodeFiles`, with the preprocessing saved
 * beside the model), are predicted chunk by chunk, and stream out to `writer`, in input order.
 */
export async function predictFiles(
  model: MultiTaskModel,
  preprocessor: Preprocessor,
  input: string,
  cwd: string,
  writer: ScoreWriter,
): Promise<void> {
  for await (const chunk of encodeFiles(preprocessor, input, { baseDir: cwd })) {
    writer.write(model.predict(chunk, { batchSize: 8192 }).tasks, chunk.rows);
  }
}
