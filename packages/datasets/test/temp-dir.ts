import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll } from 'vitest';

/** A temporary folder removed after the test file, with helpers to write plain, gzip and JSON files into it. */
export function tempDir(prefix = 'ektm-datasets-'): {
  dir: string;
  write: (name: string, text: string | Buffer) => string;
  writeGzip: (name: string, text: string) => string;
  writeJson: (name: string, value: unknown) => string;
} {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string | Buffer) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  return {
    dir,
    write,
    writeGzip: (name, text) => write(name, gzipSync(Buffer.from(text))),
    writeJson: (name, value) => write(name, JSON.stringify(value, null, 2)),
  };
}
