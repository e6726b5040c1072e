import type { EncodedTable, TableSource } from '@ektm/core';
import type { DatasetSpec } from '../spec/dataset-spec.js';
import type { SplitName } from '../spec/normalised-spec.js';
import type { LoadOptions } from '../load/load-dataset.js';
import type { BadRowReport } from '../errors/bad-row-counter.js';
import type { FileLayout } from '../parse/file-layout.js';
import type { RowEncoder } from '../encode/preprocessor.js';
import { Preprocessor } from '../encode/preprocessor.js';
import { BadRowCounter } from '../errors/bad-row-counter.js';
import { DatasetError } from '../errors/dataset-error.js';
import { rowLocation } from '../parse/row-reader.js';
import { readSplitRows } from '../load/read-split.js';
import { splitHasInput } from '../spec/split-inputs.js';
import { pickTaskSet } from '../spec/pick-task-set.js';
import { SplitAssigner } from '../load/split-assigner.js';
import { loadDataset, withDownloadHint } from '../load/load-dataset.js';
import { resolveDataset } from '../load/resolve-dataset.js';
import { fitPreprocessor } from './fit-preprocessor.js';
import { memorySource } from './memory-source.js';
import { ChunkWriter, ShuffleBuffer } from './shuffle-buffer.js';
import { firstRows } from './table-rows.js';

/** Options of {@link streamSource}. */
export interface StreamOptions extends LoadOptions {
  /** A fitted preprocessor (e.g. saved with a model); by default one is fitted by a streaming pass over train. */
  preprocessor?: Preprocessor;
  /** Rows per chunk. Default 4096. */
  chunkRows?: number;
  /** Rows held by the shuffle buffer when shuffling. Default 65,536 (a uniform shuffle for splits up to that size). */
  shuffleBufferRows?: number;
}

/** A `TableSource` streaming one split of a dataset from its files. */
export interface StreamingTableSource extends TableSource {
  /** The split streamed. */
  readonly split: SplitName;
  /** The preprocessor that encodes the rows (fitted on first use unless one was given). */
  preprocessor(): Promise<Preprocessor>;
  /** Bad rows skipped by the last pass. */
  readonly badRows: BadRowReport;
}

/**
 * Streams one split of a dataset from its files, encoded, in chunks: files larger than memory can be trained
 * on. Rows come in file order, or through a seeded shuffle buffer when `chunks({ shuffleSeed })` asks for it.
 * Without shuffling, the concatenated chunks equal `loadDataset`'s table of the same split.
 */
export function streamSource(dataset: string | DatasetSpec, split: SplitName, options: StreamOptions = {}): StreamingTableSource {
  const resolved = resolveDataset(dataset, options);
  const { spec } = resolved;
  const chunkRows = Math.max(1, options.chunkRows ?? 4096);
  const bufferRows = Math.max(1, options.shuffleBufferRows ?? 65_536);
  let fitted: Promise<Preprocessor> | undefined = options.preprocessor ? Promise.resolve(options.preprocessor) : undefined;
  let lastBadRows: BadRowReport = { count: 0, examples: [] };
  const preprocessor = () => (fitted ??= fitPreprocessor(dataset, options));

  if (spec.synthetic) {
    let loading: ReturnType<typeof loadDataset> | undefined;
    const loaded = () => (loading ??= loadDataset(dataset, options));
    return {
      split,
      preprocessor: async () => (await loaded()).preprocessor,
      get badRows() {
        return lastBadRows;
      },
      async *chunks(chunkOptions) {
        const table = (await loaded()).splits[split];
        if (!table) throw new DatasetError(`dataset "${spec.name}" has no ${split} split`);
        yield* memorySource(table, { chunkRows }).chunks(chunkOptions);
      },
    };
  }

  const taskSet = pickTaskSet(spec, options.taskSet);
  const assigner = new SplitAssigner(spec.split);
  const sources = assigner.sourcesOf(split, (s) => splitHasInput(spec, s));
  if (sources.length === 0)
    throw new DatasetError(
      `dataset "${spec.name}" has no ${split} split (no ${spec.query ? 'query' : 'files'}.${split} and no split.${split})`,
    );
  if (options.preprocessor && options.preprocessor.taskSet !== taskSet.name) {
    throw new DatasetError(`the preprocessor was fitted for task set "${options.preprocessor.taskSet}", not "${taskSet.name}"`);
  }

  async function* chunks({ shuffleSeed }: { shuffleSeed?: number } = {}): AsyncGenerator<EncodedTable> {
    const pre = await preprocessor();
    const badRows = new BadRowCounter(options.maxBadRows ?? 0);
    const writer = new ChunkWriter(() => pre.allocate(chunkRows));
    const shuffle = shuffleSeed === undefined ? undefined : new ShuffleBuffer(pre.allocate(bufferRows), shuffleSeed);
    const emit = (table: EncodedTable, row: number) => writer.push(table, row);
    let layout: FileLayout | undefined;
    let encoder: RowEncoder | undefined;
    for (const fileSplit of sources) {
      const rowCounter = { next: 0 };
      try {
        for await (const batch of readSplitRows(resolved, fileSplit, {
          maxRows: options.maxRowsPerFile,
          rowCounter,
          duckdb: options.duckdb,
        })) {
          if (batch.layout !== layout) {
            layout = batch.layout;
            encoder = pre.createEncoder(layout);
          }
          const { decoder, encode } = encoder!;
          const raw = decoder.newRow();
          for (let r = 0; r < batch.rows.length; r++) {
            if (assigner.assign(fileSplit, batch.rowIndices[r]!) !== split) continue;
            const fields = batch.rows[r]!;
            try {
              if (fields instanceof DatasetError) throw fields;
              decoder.decode(decoder.dense(fields), raw);
            } catch (error) {
              if (!(error instanceof DatasetError)) throw error;
              badRows.record(error.locate(rowLocation(batch, r)));
              continue;
            }
            if (shuffle) {
              encode(raw, shuffle.table, shuffle.slotFor(emit));
            } else {
              const { table, row } = writer.target;
              encode(raw, table, row);
              writer.commit();
            }
          }
          yield* writer.take();
        }
      } catch (error) {
        throw withDownloadHint(error, resolved);
      }
    }
    shuffle?.drain(emit);
    yield* writer.take();
    if (writer.pending > 0) yield firstRows(writer.current, writer.pending);
    lastBadRows = badRows.report();
  }

  return {
    split,
    preprocessor,
    get badRows() {
      return lastBadRows;
    },
    chunks,
  };
}
