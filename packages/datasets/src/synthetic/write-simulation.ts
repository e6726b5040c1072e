import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { DuckDBOptions } from '../duckdb/duckdb-options.js';
import type { ColumnType } from '../duckdb/csv-to-parquet.js';
import type { SplitName } from '../spec/normalised-spec.js';
import type { SimulatedSplit } from './simulator.js';
import type { SimulatorOptions } from './simulator-options.js';
import { writeFileAtomically } from '../download/atomic-write.js';
import { DuckDBSession } from '../duckdb/duckdb-session.js';
import { csvToParquet } from '../duckdb/csv-to-parquet.js';
import { SPLIT_NAMES } from '../spec/normalised-spec.js';
import { createSimulator } from './simulator.js';
import { simulatedFilesSpec } from './simulated-files-spec.js';

/** Options of {@link writeSimulatedDataset}. */
export interface WriteSimulationOptions {
  /** `parquet` (through DuckDB) or `csv` (headed text). */
  format: 'parquet' | 'csv';
  /** Simulator options: rows per split, seed, world size. Defaults as for the `synthetic` dataset. */
  simulator?: SimulatorOptions;
  /** Files the train split is cut into (`train-0`, `train-1`, … of nearly equal size). Default 1. */
  shards?: number;
  /** Dataset name in the spec. Default `simulated-<train rows>`. */
  name?: string;
  /** Rows drawn and written at a time (memory scales with it). Default 65,536. */
  batchRows?: number;
  /** Receives one line per file written or kept. Default: silent. */
  log?: (line: string) => void;
  /** DuckDB's threads and memory, for the Parquet writer. */
  duckdb?: DuckDBOptions;
}

/** What {@link writeSimulatedDataset} wrote. */
export interface WrittenSimulation {
  /** Path of `spec.json`, which `loadDataset` and `ektm --dataset` take. */
  spec: string;
  /** Data files by split (absolute paths, in order). */
  files: Record<SplitName, string[]>;
  /** The side files with the true probabilities, row-aligned with `files`. */
  truth: Record<SplitName, string[]>;
  /** Rows per split. */
  rows: Record<SplitName, number>;
  /** Files found complete from an earlier run with the same options, and kept. */
  kept: number;
}

/** The record of a written simulation (`simulation.json`), so that a rerun keeps the files of an identical one. */
interface SimulationManifest {
  format: 'ektm-simulation';
  version: 1;
  fileFormat: 'parquet' | 'csv';
  shards: number;
  options: ReturnType<typeof createSimulator>['options'];
}

const DOUBLE_COLUMNS = new Set(['user_activity', 'item_price']);
const TEXT_COLUMNS = new Set(['user_id', 'user_segment', 'item_id', 'item_category', 'item_brand', 'device']);

/** The Parquet type of a simulator column: ids and names as text, activity and price as doubles, the rest (hour, position, labels) as integers. */
function columnType(column: string): ColumnType {
  return DOUBLE_COLUMNS.has(column) ? 'DOUBLE' : TEXT_COLUMNS.has(column) ? 'VARCHAR' : 'INTEGER';
}

/**
 * Writes the simulator's three splits as files, with the true probabilities behind every label in side files and a
 * `spec.json` that loads them (the built-in `synthetic` dataset's features and task sets), so that large-data runs can
 * be reproduced by anyone: `train-<i>.<ext>` (the train shards), `validation.<ext>`, `test.<ext>`, and under `truth/`
 * the same names holding `click` = P(click) and, per conversion type, P(conversion | its sample space: the click, or its parent conversion). Rows are drawn and
 * written in batches, so memory does not grow with the row count. Every file is written atomically; a rerun with
 * the same options keeps the files already complete (`simulation.json` records the options).
 */
export async function writeSimulatedDataset(dir: string, options: WriteSimulationOptions): Promise<WrittenSimulation> {
  const out = resolve(dir);
  const shards = options.shards ?? 1;
  if (!Number.isInteger(shards) || shards < 1) throw new RangeError(`shards must be an integer >= 1, not ${shards}`);
  const batchRows = options.batchRows ?? 65_536;
  const simulator = createSimulator(options.simulator);
  const o = simulator.options;
  if (shards > o.trainRows) throw new RangeError(`shards (${shards}) cannot exceed the train rows (${o.trainRows})`);
  const ext = options.format;
  const log = options.log ?? (() => undefined);
  mkdirSync(join(out, 'truth'), { recursive: true });

  const manifest: SimulationManifest = { format: 'ektm-simulation', version: 1, fileFormat: ext, shards, options: o };
  const manifestPath = join(out, 'simulation.json');
  const resume = existsSync(manifestPath) && readFileSync(manifestPath, 'utf8') === `${JSON.stringify(manifest, null, 2)}\n`;
  await writeText(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);

  const digits = String(shards - 1).length;
  const names: Record<SplitName, string[]> = {
    train: Array.from({ length: shards }, (_, i) => `train-${String(i).padStart(digits, '0')}.${ext}`),
    validation: [`validation.${ext}`],
    test: [`test.${ext}`],
  };
  const dataColumns: Array<[string, ColumnType]> = simulator.columns.map((c) => [c, columnType(c)]);
  const truthColumns: Array<[string, ColumnType]> = ['click', ...simulator.conversions].map((c) => [c, 'DOUBLE']);

  const session = ext === 'parquet' ? await DuckDBSession.open(out, options.duckdb ?? {}, { key: 'format' }) : undefined;
  const result: WrittenSimulation = {
    spec: join(out, 'spec.json'),
    files: { train: [], validation: [], test: [] },
    truth: { train: [], validation: [], test: [] },
    rows: { train: o.trainRows, validation: o.validationRows, test: o.testRows },
    kept: 0,
  };
  try {
    for (const split of SPLIT_NAMES) {
      const files = names[split];
      const total = o[`${split}Rows`];
      let file = 0;
      let writer: ShardWriter | undefined;
      const open = () => {
        const size = Math.floor(((file + 1) * total) / files.length) - Math.floor((file * total) / files.length);
        const data = join(out, files[file]!);
        const truth = join(out, 'truth', files[file]!);
        result.files[split].push(data);
        result.truth[split].push(truth);
        const keep = resume && existsSync(data) && existsSync(truth);
        if (keep) result.kept++;
        return new ShardWriter(
          data,
          truth,
          size,
          keep,
          simulator.columns,
          truthColumns.map(([c]) => c),
        );
      };
      for (const batch of simulator.batches(split, batchRows)) {
        for (let r = 0; r < batch.rows.length; r++) {
          writer ??= open();
          writer.add(batch, r, simulator.conversions);
          if (writer.full) {
            await writer.finish(session, dataColumns, truthColumns);
            log(`${writer.kept ? 'kept' : 'wrote'} ${writer.data} (${writer.size} rows)`);
            writer = undefined;
            file++;
          }
        }
      }
    }
  } finally {
    session?.close();
  }
  // Parquet shards as a glob (read by DuckDB); CSV shards as a list, so that the line reader reads them without DuckDB.
  const train = shards === 1 ? names.train[0]! : ext === 'parquet' ? `train-*.${ext}` : names.train;
  const spec = simulatedFilesSpec(options.name ?? `simulated-${o.trainRows}`, o, {
    train,
    validation: names.validation[0]!,
    test: names.test[0]!,
  });
  await writeText(result.spec, `${JSON.stringify(spec, null, 2)}\n`);
  log(`wrote ${result.spec}`);
  return result;
}

async function writeText(path: string, text: string): Promise<void> {
  await writeFileAtomically(path, async (temporary) => {
    const fd = openSync(temporary, 'w');
    try {
      writeSync(fd, text);
    } finally {
      closeSync(fd);
    }
  });
}

/**
 * One data file and its truth file, filled row by row as headed CSV (buffered) into temporary files, then moved into
 * place (as CSV, or converted to Parquet). A file kept from an earlier identical run is not written again.
 */
class ShardWriter {
  private written = 0;
  private readonly temporary: string;
  private readonly temporaryTruth: string;
  private dataFd = -1;
  private truthFd = -1;
  private lines: string[] = [];
  private truthLines: string[] = [];

  constructor(
    readonly data: string,
    private readonly truth: string,
    readonly size: number,
    readonly kept: boolean,
    columns: readonly string[],
    truthColumns: readonly string[],
  ) {
    const tag = `${process.pid}.${Date.now()}`;
    this.temporary = join(dirname(data), `.${basename(data)}.${tag}.csv.part`);
    this.temporaryTruth = join(dirname(truth), `.${basename(truth)}.${tag}.csv.part`);
    if (kept) return;
    this.dataFd = openSync(this.temporary, 'w');
    this.truthFd = openSync(this.temporaryTruth, 'w');
    writeSync(this.dataFd, `${columns.join(',')}\n`);
    writeSync(this.truthFd, `${truthColumns.join(',')}\n`);
  }

  get full(): boolean {
    return this.written === this.size;
  }

  add(batch: SimulatedSplit, r: number, conversions: readonly string[]): void {
    this.written++;
    if (this.kept) return;
    this.lines.push(batch.rows[r]!.join(','));
    let truth = String(batch.clickProbability[r]);
    for (const c of conversions) truth += `,${batch.conversionProbability[c]![r]}`;
    this.truthLines.push(truth);
    if (this.lines.length >= 8192) this.flush();
  }

  private flush(): void {
    if (this.lines.length === 0) return;
    writeSync(this.dataFd, `${this.lines.join('\n')}\n`);
    writeSync(this.truthFd, `${this.truthLines.join('\n')}\n`);
    this.lines = [];
    this.truthLines = [];
  }

  async finish(
    session: DuckDBSession | undefined,
    dataColumns: ReadonlyArray<[string, ColumnType]>,
    truthColumns: ReadonlyArray<[string, ColumnType]>,
  ): Promise<void> {
    if (this.kept) return;
    this.flush();
    closeSync(this.dataFd);
    closeSync(this.truthFd);
    try {
      for (const [target, csv, columns] of [
        [this.data, this.temporary, dataColumns],
        [this.truth, this.temporaryTruth, truthColumns],
      ] as const) {
        // CSV is already complete beside its target: one rename puts it in place. Parquet is converted, then renamed.
        if (!session) renameSync(csv, target);
        else await writeFileAtomically(target, (temporary) => csvToParquet(session, csv, temporary, columns));
      }
    } finally {
      rmSync(this.temporary, { force: true });
      rmSync(this.temporaryTruth, { force: true });
    }
  }
}
