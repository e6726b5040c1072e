import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import type { DownloadFileSpec } from '../spec/dataset-spec.js';
import { DatasetError } from '../errors/dataset-error.js';

/** Digests and size of a file (or of its gunzipped content). */
export interface FileDigest {
  /** md5, hex. */
  md5: string;
  /** sha256, hex. */
  sha256: string;
  /** Byte count. */
  bytes: number;
}

/** Computes md5, sha256 and byte count of a file, streaming; `gunzipped` digests the decompressed content. */
export async function digestFile(path: string, of: 'file' | 'gunzipped' = 'file'): Promise<FileDigest> {
  const md5 = createHash('md5');
  const sha256 = createHash('sha256');
  let bytes = 0;
  const raw = createReadStream(path);
  let stream: Readable = raw;
  if (of === 'gunzipped') {
    const gunzip = createGunzip();
    raw.on('error', (error) => gunzip.destroy(error));
    stream = raw.pipe(gunzip);
  }
  try {
    for await (const chunk of stream) {
      md5.update(chunk as Buffer);
      sha256.update(chunk as Buffer);
      bytes += (chunk as Buffer).length;
    }
  } catch (error) {
    throw new DatasetError(`cannot ${of === 'gunzipped' ? 'decompress' : 'read'} the file: ${(error as Error).message}`, { file: path });
  }
  return { md5: md5.digest('hex'), sha256: sha256.digest('hex'), bytes };
}

/** Checks a file against the expected checksums of a download entry; a mismatch is a `DatasetError` saying which. */
export async function verifyChecksum(
  path: string,
  expected: Pick<DownloadFileSpec, 'md5' | 'sha256' | 'bytes' | 'checksumOf'>,
): Promise<FileDigest> {
  const digest = await digestFile(path, expected.checksumOf ?? 'file');
  const what = expected.checksumOf === 'gunzipped' ? 'decompressed content' : 'file';
  const wrong: string[] = [];
  if (expected.bytes !== undefined && digest.bytes !== expected.bytes) wrong.push(`${digest.bytes} bytes, expected ${expected.bytes}`);
  if (expected.md5 !== undefined && digest.md5 !== expected.md5.toLowerCase()) wrong.push(`md5 ${digest.md5}, expected ${expected.md5}`);
  if (expected.sha256 !== undefined && digest.sha256 !== expected.sha256.toLowerCase())
    wrong.push(`sha256 ${digest.sha256}, expected ${expected.sha256}`);
  if (wrong.length > 0) throw new DatasetError(`checksum mismatch of the ${what}: ${wrong.join('; ')}`, { file: path });
  return digest;
}
