import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Writes a file so that it appears complete or not at all: `write` fills a temporary file beside the target
 * (same folder, so the rename is atomic), and only then is it renamed over the target. If `write` throws,
 * the temporary file is removed and the target is left as it was. An interrupted download never leaves a
 * truncated data file behind.
 */
export async function writeFileAtomically(target: string, write: (temporaryPath: string) => Promise<void>): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  const temporary = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.part`);
  try {
    await write(temporary);
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
