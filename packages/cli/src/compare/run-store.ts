import { existsSync, readFileSync } from 'node:fs';
import { ConfigError, DataError } from '@ektm/core';
import { writeFileAtomic } from '../util/atomic-write.js';
import type { CompareRun } from './compare-result.js';

/** Format tag of the first line of a runs file. */
export const RUNS_FILE_FORMAT = 'ektm-compare-runs';
const RUNS_FILE_VERSION = 1;

/** The first line of a runs file: what comparison the runs belong to. */
interface RunsHeader {
  format: typeof RUNS_FILE_FORMAT;
  version: typeof RUNS_FILE_VERSION;
  /** Everything that makes two runs comparable (dataset, task set, rows, protocol), as {@link comparisonKey} gives it. */
  comparison: Record<string, unknown>;
}

/**
 * What makes runs of two invocations the same comparison: every option of the comparison except which models and
 * seeds run (so a resumed comparison may add models or seeds) and what only reports (log, registry, ...). Values
 * that are undefined are left out, so that an option added in a later version keeps old files valid while unset.
 */
export function comparisonKey(options: Readonly<Record<string, unknown>>, omit: readonly string[]): Record<string, unknown> {
  const key: Record<string, unknown> = {};
  for (const name of Object.keys(options).sort()) {
    const value = options[name];
    if (
      omit.includes(name) ||
      value === undefined ||
      typeof value === 'function' ||
      (typeof value === 'object' && value !== null && !Array.isArray(value))
    )
      continue;
    key[name] = value;
  }
  return key;
}

/** `model` + `seed`: the identity of a run inside one comparison. */
export function runId(model: string, seed: number): string {
  return `${model}#${seed}`;
}

/**
 * The finished runs of a comparison, one JSON line each after a header line, in a file beside the comparison's
 * outputs (`out/compare.json` → `out/compare.runs.jsonl`). Every finished run is written as it ends, atomically (the
 * whole file is rewritten to a temporary file and renamed over it), so an interrupted or failed comparison keeps
 * every run it finished, and `ektm compare --resume` trains only the missing ones.
 */
export class RunStore {
  private constructor(
    /** The runs file. */
    readonly path: string,
    private readonly header: RunsHeader,
    private readonly runs: CompareRun[],
  ) {}

  /**
   * Opens the runs file of a comparison. With `resume`, the file must exist and belong to the same comparison
   * (else a ConfigError says what differs and how to start over); its runs are kept. Without `resume`, the comparison
   * starts over: an existing file is replaced when the first run is written.
   */
  static open(path: string, comparison: Record<string, unknown>, resume: boolean): RunStore {
    const header: RunsHeader = { format: RUNS_FILE_FORMAT, version: RUNS_FILE_VERSION, comparison };
    if (!resume) return new RunStore(path, header, []);
    if (!existsSync(path)) {
      throw new ConfigError(
        `--resume: there is no runs file ${path} to resume from; run the comparison without --resume to start it`,
        'resume',
        path,
      );
    }
    const { header: stored, runs } = readRunsFile(path);
    const differences = Object.keys({ ...stored.comparison, ...comparison })
      .filter((k) => JSON.stringify(stored.comparison[k]) !== JSON.stringify(comparison[k]))
      .map(
        (k) => `${k} ${JSON.stringify(comparison[k]) ?? 'unset'} (the runs file has ${JSON.stringify(stored.comparison[k]) ?? 'unset'})`,
      );
    if (differences.length) {
      throw new ConfigError(
        `--resume: ${path} holds runs of another comparison: ${differences.join('; ')}; resume with the same options, or leave out --resume to start over`,
        'resume',
        path,
      );
    }
    return new RunStore(path, header, runs);
  }

  /** The finished runs, in the order they finished. */
  get finished(): readonly CompareRun[] {
    return this.runs;
  }

  /** Adds a finished run (replacing an earlier run of the same model and seed) and rewrites the file atomically. */
  append(run: CompareRun): void {
    const id = runId(run.model, run.seed);
    const i = this.runs.findIndex((r) => runId(r.model, r.seed) === id);
    if (i >= 0) this.runs.splice(i, 1);
    this.runs.push(run);
    const lines = [this.header, ...this.runs].map((line) => JSON.stringify(line));
    writeFileAtomic(this.path, `${lines.join('\n')}\n`);
  }
}

/** Reads a runs file, checking its header and every line (a bad line is a DataError naming the file and line). */
function readRunsFile(path: string): { header: RunsHeader; runs: CompareRun[] } {
  const lines = readFileSync(path, 'utf8').split('\n');
  const parsed = lines
    .map((text, i) => ({ text, line: i + 1 }))
    .filter(({ text }) => text.trim() !== '')
    .map(({ text, line }) => {
      try {
        return { value: JSON.parse(text) as unknown, line };
      } catch {
        throw new DataError(`${path}:${line}: not a JSON line of a runs file; delete the file and run the comparison without --resume`, {
          file: path,
          line,
        });
      }
    });
  const header = parsed[0]?.value as RunsHeader | undefined;
  if (!header || header.format !== RUNS_FILE_FORMAT || header.version !== RUNS_FILE_VERSION || typeof header.comparison !== 'object') {
    throw new DataError(`${path}:1: not a runs file of ektm compare (format ${RUNS_FILE_FORMAT}, version ${RUNS_FILE_VERSION})`, {
      file: path,
      line: 1,
    });
  }
  const runs = parsed.slice(1).map(({ value, line }) => {
    const run = value as CompareRun;
    if (typeof run?.model !== 'string' || !Number.isInteger(run.seed) || typeof run.tasks !== 'object') {
      throw new DataError(`${path}:${line}: not a finished run (needs model, seed and tasks)`, { file: path, line });
    }
    return run;
  });
  return { header, runs };
}

/** Where the runs of a comparison are kept: beside its first output file (`out/compare.json` → `out/compare.runs.jsonl`). */
export function runsFileFor(outputs: ReadonlyArray<string | undefined>): string | undefined {
  const first = outputs.find((o): o is string => typeof o === 'string');
  return first === undefined ? undefined : `${first.replace(/\.(json|html?|md|markdown)$/i, '')}.runs.jsonl`;
}
