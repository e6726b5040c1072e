import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { sharedData } from '@ektm/testing';
import { tempDir } from '../../test/temp-dir.js';
import { DatasetError, describeDataset, digestFile, downloadDataset, verifyChecksum, writeFileAtomically } from '../index.js';
import type { FetchLike } from '../index.js';

// No test here touches the network: the downloader gets a fetch that serves local bytes.
const files = tempDir();
const census = sharedData('census-income-kdd/census-income.test.gz');

/** A fetch that serves `bytes` for URLs containing `match` and a 404 for the rest, recording the URLs asked. */
function localFetch(bytes: Buffer, match: string): FetchLike & { asked: string[] } {
  const asked: string[] = [];
  const fake = async (url: string) => {
    asked.push(url);
    if (!url.includes(match)) return { ok: false, status: 404, statusText: 'Not Found', body: null };
    return { ok: true, status: 200, body: new Blob([new Uint8Array(bytes)]).stream() };
  };
  return Object.assign(fake, { asked });
}

describe('download helpers (no network)', () => {
  it('digests a file and its gunzipped content, and reports a checksum mismatch', async () => {
    const path = files.writeGzip('hello.txt.gz', 'hello\n');
    const inner = await digestFile(path, 'gunzipped');
    expect(inner).toEqual({
      md5: 'b1946ac92492d2347c6235b4d2611184',
      sha256: '5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03',
      bytes: 6,
    });
    await expect(verifyChecksum(path, { md5: inner.md5, bytes: 6, checksumOf: 'gunzipped' })).resolves.toMatchObject({ bytes: 6 });
    await expect(verifyChecksum(path, { md5: '0'.repeat(32), checksumOf: 'gunzipped' })).rejects.toThrow(
      /hello\.txt\.gz: checksum mismatch of the decompressed content: md5 b1946ac92492d2347c6235b4d2611184, expected 0{32}/,
    );
  });

  it.skipIf(!census)('the census spec checksum matches the shared census file (md5 of the decompressed text)', async () => {
    const entry = describeDataset('census-income').download!.files![0]!;
    const digest = await verifyChecksum(census!, entry);
    expect(digest.md5).toBe('b82952d217858365c8e597827e3e5468');
    expect(digest.bytes).toBe(51_918_813);
  });

  it('writes atomically: a failed write leaves neither the target nor a temporary file', async () => {
    const target = join(files.dir, 'atomic', 'data.txt');
    await expect(
      writeFileAtomically(target, async (temporary) => {
        const { writeFileSync } = await import('node:fs');
        writeFileSync(temporary, 'partial');
        throw new Error('connection reset');
      }),
    ).rejects.toThrow('connection reset');
    expect(existsSync(target)).toBe(false);
    expect(readdirSync(dirname(target))).toEqual([]);
    await writeFileAtomically(target, async (temporary) => (await import('node:fs/promises')).writeFile(temporary, 'complete'));
    expect(readFileSync(target, 'utf8')).toBe('complete');
    expect(readdirSync(dirname(target))).toEqual(['data.txt']);
  });

  it.skipIf(!census)('downloads census-income from the first mirror that answers, verifies it, and skips it next time', async () => {
    const dataDir = join(files.dir, 'cache');
    const fetch = localFetch(readFileSync(census!), 'githubusercontent');
    const logs: string[] = [];
    const result = await downloadDataset('census-income', { dataDir, fetch, log: (m) => logs.push(m) });
    const target = join(dataDir, 'census-income-kdd', 'census-income.test.gz');
    expect(result).toEqual({ files: [target], downloaded: [target] });
    expect(fetch.asked).toHaveLength(2); // the UCI URL 404s in this fake, the GitHub mirror answers
    expect(readdirSync(dirname(target))).toEqual(['census-income.test.gz']);
    const again = await downloadDataset('census-income', { dataDir, fetch });
    expect(again.downloaded).toEqual([]);
    expect(fetch.asked).toHaveLength(2);
  });

  it('refuses a download whose checksum is wrong and leaves nothing behind', async () => {
    const dataDir = join(files.dir, 'bad-cache');
    const fetch = localFetch(gzipSync(Buffer.from('not the census\n')), '');
    const error = await downloadDataset('census-income', { dataDir, fetch }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetError);
    expect((error as DatasetError).message).toMatch(/could not download census-income-kdd\/census-income\.test\.gz: .*checksum mismatch/);
    expect(existsSync(join(dataDir, 'census-income-kdd'))).toBe(true);
    expect(readdirSync(join(dataDir, 'census-income-kdd'))).toEqual([]);
  });

  it('explains where to get AliExpress and Ali-CCP, which need a login', async () => {
    await expect(downloadDataset('aliexpress', { dataDir: files.dir })).rejects.toThrow(
      /cannot be downloaded automatically.*Tianchi.*aliexpress\/AliExpress_NL\/train\.csv/,
    );
    await expect(downloadDataset('ali-ccp', { dataDir: files.dir })).rejects.toThrow(/Tianchi/);
    await expect(downloadDataset('synthetic', { dataDir: files.dir })).resolves.toEqual({ files: [], downloaded: [] });
  });
});
