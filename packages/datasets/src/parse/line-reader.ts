import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { DatasetError } from '../errors/dataset-error.js';

const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;

/** Tells gzip from plain text by the magic bytes, not by the name; a `.gz` name on plain bytes is an error. */
async function detectGzip(path: string): Promise<{ gzip: boolean; empty: boolean }> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a directory, not a file' : `cannot open (${code ?? String(error)})`;
    throw new DatasetError(why, { file: path });
  }
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    const gzip = bytesRead === 2 && head[0] === GZIP_MAGIC_0 && head[1] === GZIP_MAGIC_1;
    if (!gzip && bytesRead > 0 && path.toLowerCase().endsWith('.gz')) {
      throw new DatasetError('corrupt gzip: the name ends in .gz but the file does not start with the gzip header', { file: path });
    }
    return { gzip, empty: bytesRead === 0 };
  } finally {
    await handle.close();
  }
}

/**
 * Reads a text file (plain or gzip) as batches of lines, streaming, so that files larger than memory can be
 * read. Batches keep the async overhead per line low. Line endings (`\n` or `\r\n`) and a leading byte-order
 * mark are removed. A corrupt or truncated gzip stream raises a `DatasetError` naming the file and the line
 * reached.
 */
export async function* readLineBatches(path: string): AsyncGenerator<string[]> {
  const { gzip } = await detectGzip(path);
  const raw = createReadStream(path, { highWaterMark: 1 << 20 });
  let stream: Readable = raw;
  if (gzip) {
    const gunzip = createGunzip();
    raw.on('error', (error) => gunzip.destroy(error));
    stream = raw.pipe(gunzip);
  }
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let linesSoFar = 0;
  let first = true;
  try {
    try {
      for await (const chunk of stream) {
        let text = rest + decoder.write(chunk as Buffer);
        if (first && text.length > 0) {
          if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
          first = false;
        }
        const lines = text.split('\n');
        rest = lines.pop()!;
        stripCarriageReturns(lines);
        linesSoFar += lines.length;
        if (lines.length > 0) yield lines;
      }
    } catch (error) {
      if (error instanceof DatasetError) throw error;
      const reason = (error as Error).message;
      const what = gzip ? `corrupt gzip (${reason})` : `read error (${reason})`;
      throw new DatasetError(`${what} after line ${linesSoFar}`, { file: path, line: linesSoFar + 1 });
    }
    rest += decoder.end();
    if (first && rest.charCodeAt(0) === 0xfeff) rest = rest.slice(1);
    if (rest.length > 0) {
      const last = [rest];
      stripCarriageReturns(last);
      yield last;
    }
  } finally {
    stream.destroy();
    raw.destroy();
  }
}

function stripCarriageReturns(lines: string[]): void {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.charCodeAt(line.length - 1) === 13) lines[i] = line.slice(0, -1);
  }
}
