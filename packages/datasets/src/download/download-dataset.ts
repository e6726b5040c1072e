import { createWriteStream, existsSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { join } from 'node:path';
import type { DownloadFileSpec } from '../spec/dataset-spec.js';
import { DatasetError } from '../errors/dataset-error.js';
import { resolveDataset } from '../load/resolve-dataset.js';
import { DEFAULT_DATA_DIR } from './data-dir.js';
import { verifyChecksum } from './checksum.js';
import { writeFileAtomically } from './atomic-write.js';

/** The subset of `fetch` the downloader uses (injectable, so that the logic is testable without a network). */
export type FetchLike = (url: string) => Promise<{
  /** True for a 2xx status. */
  ok: boolean;
  /** HTTP status. */
  status: number;
  /** HTTP status text. */
  statusText?: string;
  /** The response body. */
  body: ReadableStream<Uint8Array> | null;
}>;

/** Options of {@link downloadDataset}. */
export interface DownloadOptions {
  /** Where the files go. Default {@link DEFAULT_DATA_DIR}. */
  dataDir?: string;
  /** Download again even when a verified file is present. */
  force?: boolean;
  /** The fetch to use. Default the global `fetch`. */
  fetch?: FetchLike;
  /** Progress messages. */
  log?: (message: string) => void;
}

/** What a download did. */
export interface DownloadResult {
  /** Absolute paths of the dataset's files, verified. */
  files: string[];
  /** The subset that was fetched now (the rest were already present and verified). */
  downloaded: string[];
}

/**
 * Downloads a built-in dataset's files into the data dir, trying each mirror in turn, verifying the checksum
 * before the file is moved into place (atomically). Datasets behind a login (AliExpress, Ali-CCP) raise a
 * `DatasetError` that says where to get the files and where to put them.
 */
export async function downloadDataset(name: string, options: DownloadOptions = {}): Promise<DownloadResult> {
  const dataDir = options.dataDir ?? DEFAULT_DATA_DIR;
  const { spec } = resolveDataset(name, { dataDir });
  const log = options.log ?? (() => {});
  if (spec.synthetic) return { files: [], downloaded: [] };
  const entries = spec.download?.files ?? [];
  if (entries.length === 0) {
    const instructions = spec.download?.instructions ?? 'this dataset has no download source';
    throw new DatasetError(`"${spec.name}" cannot be downloaded automatically. ${instructions} (data dir: ${dataDir})`);
  }
  const doFetch: FetchLike = options.fetch ?? ((url) => fetch(url));
  const result: DownloadResult = { files: [], downloaded: [] };
  for (const entry of entries) {
    const target = join(dataDir, entry.path);
    result.files.push(target);
    if (!options.force && existsSync(target)) {
      try {
        await verifyChecksum(target, entry);
        log(`${entry.path}: present and verified`);
        continue;
      } catch {
        log(`${entry.path}: present but fails its checksum; downloading again`);
      }
    }
    await fetchVerified(entry, target, doFetch, log);
    result.downloaded.push(target);
  }
  return result;
}

async function fetchVerified(entry: DownloadFileSpec, target: string, doFetch: FetchLike, log: (message: string) => void): Promise<void> {
  const failures: string[] = [];
  for (const url of entry.urls) {
    try {
      log(`${entry.path}: fetching ${url}`);
      await writeFileAtomically(target, async (temporary) => {
        const response = await doFetch(url);
        // Caught by the retry loop, which reports the final failure as a DatasetError naming the URL.
        if (!response.ok || !response.body) throw new Error(`HTTP ${response.status} ${response.statusText ?? ''}`.trim());
        await pipeline(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream), createWriteStream(temporary));
        await verifyChecksum(temporary, entry);
      });
      log(`${entry.path}: downloaded and verified`);
      return;
    } catch (error) {
      failures.push(`${url}: ${error instanceof DatasetError ? error.detail : (error as Error).message}`);
    }
  }
  throw new DatasetError(`could not download ${entry.path}: ${failures.join('; ')}`, { file: target });
}
