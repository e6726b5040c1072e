/**
 * Crash-safe writes to disk. A directory is written completely under a temporary sibling name, every file and the
 * directory are fsynced, and only then does it take the target's name; so a process killed at any moment leaves
 * either the previous content or the new one, never a mixture. Leftovers of a kill (temporary or displaced
 * directories) are recognised by their names and recovered or removed by the next write or read.
 *
 * POSIX `rename` cannot replace a non-empty directory, so a replacement takes two renames:
 * `target → .target.old-ID`, then `.target.tmp-ID → target`. A kill between them leaves no `target`, but a
 * complete `.target.tmp-ID` (it was finished before the first rename), which recovery promotes.
 * One writer per target at a time.
 */
import { isNotFound, nodeModules } from './node-modules.js';

/** Bytes or text to write into a file. */
export type FileContent = Uint8Array | string;

/** Writes a file and flushes it to the disk before returning. */
export async function writeFileSynced(path: string, content: FileContent): Promise<void> {
  const { fs } = await nodeModules();
  const handle = await fs.open(path, 'w');
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Flushes a directory's entries (new names, renames) to the disk; a no-op where directories cannot be opened. */
async function syncDirectory(path: string): Promise<void> {
  const { fs } = await nodeModules();
  let handle: Awaited<ReturnType<typeof fs.open>> | undefined;
  try {
    handle = await fs.open(path, 'r');
    await handle.sync();
  } catch {
    // Windows cannot open or fsync a directory; the renames are still atomic there.
  } finally {
    await handle?.close();
  }
}

/** Writes a single file atomically: a temporary sibling, fsync, then a rename over the target. */
export async function writeFileAtomic(path: string, content: FileContent): Promise<void> {
  const { fs, path: p } = await nodeModules();
  const dir = p.dirname(path);
  await fs.mkdir(dir, { recursive: true });
  const temp = p.join(dir, `.${p.basename(path)}.tmp-${uniqueId()}`);
  try {
    await writeFileSynced(temp, content);
    await fs.rename(temp, path);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
  await syncDirectory(dir);
}

/** Options of {@link replaceDirectory}. */
export interface ReplaceDirectoryOptions {
  /**
   * Called with the names of the files in an existing target before it is replaced; throw to refuse (e.g. the
   * directory holds files that are not ours). Default: any existing directory is replaced.
   */
  checkExisting?: (entries: string[]) => void;
}

/**
 * Replaces the directory `target` as a whole by the files `fill` writes into a fresh temporary directory
 * (which it receives). Files are fsynced by {@link writeFileSynced}; `fill` should use it.
 */
export async function replaceDirectory(
  target: string,
  fill: (tempDir: string) => Promise<void>,
  options: ReplaceDirectoryOptions = {},
): Promise<void> {
  const { fs, path: p } = await nodeModules();
  const parent = p.dirname(p.resolve(target));
  const base = p.basename(p.resolve(target));
  await fs.mkdir(parent, { recursive: true });
  await recoverDirectory(target);
  const existing = await listDirectory(target);
  // The target path is taken by a file: an environment problem the caller must resolve (plain Error, exit code 1).
  if (existing === 'not-a-directory') throw new Error(`${target} exists and is not a directory`);
  if (existing) options.checkExisting?.(existing);

  const id = uniqueId();
  const temp = p.join(parent, `.${base}.tmp-${id}`);
  const old = p.join(parent, `.${base}.old-${id}`);
  await fs.mkdir(temp);
  try {
    await fill(temp);
    await syncDirectory(temp);
  } catch (error) {
    await fs.rm(temp, { recursive: true, force: true });
    throw error;
  }
  if (existing) await fs.rename(p.join(parent, base), old);
  await fs.rename(temp, p.join(parent, base));
  await syncDirectory(parent);
  if (existing) await fs.rm(old, { recursive: true, force: true });
}

/**
 * Repairs what a killed {@link replaceDirectory} may have left beside `target`: when `target` is missing and a
 * displaced `.target.old-ID` exists, the finished `.target.tmp-ID` takes its place (or the old one returns if
 * there is none); other temporary and displaced directories are removed unless `cleanup` is false.
 * Returns the names of the leftovers it found.
 */
export async function recoverDirectory(target: string, options: { cleanup?: boolean } = {}): Promise<string[]> {
  const { fs, path: p } = await nodeModules();
  const parent = p.dirname(p.resolve(target));
  const base = p.basename(p.resolve(target));
  let siblings: string[];
  try {
    siblings = await fs.readdir(parent);
  } catch (error) {
    if (isNotFound(error)) return [];
    throw error;
  }
  const tempPrefix = `.${base}.tmp-`;
  const oldPrefix = `.${base}.old-`;
  const leftovers = siblings.filter((name) => name.startsWith(tempPrefix) || name.startsWith(oldPrefix));
  if (leftovers.length === 0) return [];
  const targetPath = p.join(parent, base);
  if ((await listDirectory(targetPath)) === undefined) {
    const displaced = leftovers.filter((n) => n.startsWith(oldPrefix)).sort();
    const last = displaced[displaced.length - 1];
    if (last !== undefined) {
      const finished = tempPrefix + last.slice(oldPrefix.length);
      await fs.rename(p.join(parent, leftovers.includes(finished) ? finished : last), targetPath);
      await syncDirectory(parent);
    }
  }
  if (options.cleanup !== false) {
    for (const name of leftovers) await fs.rm(p.join(parent, name), { recursive: true, force: true });
  }
  return leftovers;
}

/** Names in a directory; undefined when it does not exist. */
async function listDirectory(path: string): Promise<string[] | undefined | 'not-a-directory'> {
  const { fs } = await nodeModules();
  try {
    return await fs.readdir(path);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') return 'not-a-directory';
    throw error;
  }
}

/** Sortable by time, unique across processes: `<ms in base36>-<pid>-<random>`. */
function uniqueId(): string {
  const time = Date.now().toString(36).padStart(9, '0');
  return `${time}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
}
