import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recoverDirectory, replaceDirectory, writeFileAtomic, writeFileSynced } from '../index.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'ektm-atomic-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('replaceDirectory', () => {
  it('creates, then replaces a directory as a whole (no file of the old one survives)', async () => {
    const target = join(root, 'out');
    await replaceDirectory(target, async (temp) => {
      await writeFileSynced(join(temp, 'a.txt'), 'one');
      await writeFileSynced(join(temp, 'old-only.txt'), 'x');
    });
    await replaceDirectory(target, (temp) => writeFileSynced(join(temp, 'a.txt'), 'two'));
    expect(await readdir(target)).toEqual(['a.txt']);
    expect(await readFile(join(target, 'a.txt'), 'utf8')).toBe('two');
    expect(await readdir(root)).toEqual(['out']);
  });

  it('a failing write leaves the previous directory intact and no temporary directory', async () => {
    const target = join(root, 'out');
    await replaceDirectory(target, (temp) => writeFileSynced(join(temp, 'a.txt'), 'good'));
    await expect(
      replaceDirectory(target, async (temp) => {
        await writeFileSynced(join(temp, 'a.txt'), 'half');
        throw new Error('disk full');
      }),
    ).rejects.toThrow('disk full');
    expect(await readFile(join(target, 'a.txt'), 'utf8')).toBe('good');
    expect(await readdir(root)).toEqual(['out']);
  });

  it('checkExisting can refuse to replace a directory; a file in the way is an error', async () => {
    const target = join(root, 'out');
    await mkdir(target);
    await writeFile(join(target, 'mine.txt'), 'keep');
    const refuse = (entries: string[]) => {
      throw new Error(`holds ${entries.join(',')}`);
    };
    await expect(replaceDirectory(target, async () => {}, { checkExisting: refuse })).rejects.toThrow('holds mine.txt');
    expect(await readFile(join(target, 'mine.txt'), 'utf8')).toBe('keep');
    await writeFile(join(root, 'file'), 'x');
    await expect(replaceDirectory(join(root, 'file'), async () => {})).rejects.toThrow(/file exists and is not a directory/);
  });
});

describe('recoverDirectory', () => {
  it('leaves a directory without leftovers alone and reports none', async () => {
    await mkdir(join(root, 'out'));
    expect(await recoverDirectory(join(root, 'out'))).toEqual([]);
    expect(await recoverDirectory(join(root, 'missing', 'deeper'))).toEqual([]);
  });

  it('keeps leftovers when cleanup is false, but still restores a missing target', async () => {
    await mkdir(join(root, '.out.old-1-1-a'));
    await writeFile(join(root, '.out.old-1-1-a', 'v'), 'old');
    await mkdir(join(root, '.out.tmp-2-1-b'));
    expect((await recoverDirectory(join(root, 'out'), { cleanup: false })).sort()).toEqual(['.out.old-1-1-a', '.out.tmp-2-1-b']);
    expect(await readFile(join(root, 'out', 'v'), 'utf8')).toBe('old');
    expect((await readdir(root)).sort()).toEqual(['.out.tmp-2-1-b', 'out']);
  });
});

describe('writeFileAtomic', () => {
  it('writes a file through a temporary sibling and replaces an existing one', async () => {
    const file = join(root, 'sub', 'state.json');
    await writeFileAtomic(file, '{"a":1}');
    await writeFileAtomic(file, new TextEncoder().encode('{"a":2}'));
    expect(await readFile(file, 'utf8')).toBe('{"a":2}');
    expect(await readdir(join(root, 'sub'))).toEqual(['state.json']);
  });
});
