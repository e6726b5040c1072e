import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ConfigError } from '@ektm/core';

/** The deepest existing folder on the way to `path` (the folder a write would create the rest in). */
function existingAncestor(path: string): string {
  let dir = dirname(resolve(path));
  while (!existsSync(dir)) dir = dirname(dir);
  return dir;
}

/**
 * Whether a file can be created in `dir`, found by creating (and removing) an empty file there: the only check that
 * is right for read-only file systems, ACLs and root alike.
 */
function creationProblem(dir: string): string | undefined {
  if (!statSync(dir).isDirectory()) return `${dir} is a file, not a folder`;
  const probe = join(dir, `.ektm-write-check-${process.pid}-${Date.now()}`);
  try {
    writeFileSync(probe, '');
    rmSync(probe, { force: true });
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'EROFS' ? `${dir} is on a read-only file system` : `${dir} is not writable (${code ?? (error as Error).message})`;
  }
}

/**
 * Checks, before any work starts, that a command can write a file at `path` (given by `--<flag>`): not a folder,
 * and its folder (or the deepest existing folder on the way, the rest is created) writable.
 *
 * @throws ConfigError naming the flag, the path and the fix.
 */
export function checkOutputFile(path: string, flag: string): void {
  if (existsSync(path) && statSync(path).isDirectory()) {
    throw new ConfigError(`--${flag} ${path} is a folder; give a file path (e.g. ${join(path, 'out.json')})`, flag, path);
  }
  const problem = creationProblem(existingAncestor(path));
  if (problem) throw new ConfigError(`--${flag} ${path} cannot be written: ${problem}; choose another path`, flag, path);
}

/**
 * Checks, before training, that a model can be saved to the folder `path` (given by `--<flag>`): not a file, and either
 * new, empty, or (with `force`) a saved model to replace; its parent folder writable. A folder holding other files is
 * never replaced, since saving replaces the whole folder.
 *
 * @throws ConfigError naming the flag, the path and the fix.
 */
export function checkModelFolder(path: string, flag: string, options: { force: boolean }): void {
  if (existsSync(path)) {
    if (!statSync(path).isDirectory()) throw new ConfigError(`--${flag} ${path} is a file; give a folder for the model`, flag, path);
    const entries = readdirSync(path);
    if (entries.length > 0) {
      if (!entries.includes('ektm.json')) {
        throw new ConfigError(
          `--${flag} ${path} is a folder with other files (${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', ...' : ''}); saving replaces the whole folder, so give a new or empty folder`,
          flag,
          path,
        );
      }
      if (!options.force) {
        throw new ConfigError(
          `--${flag} ${path} already holds a saved model; add --force to replace it, or choose another --${flag}`,
          flag,
          path,
        );
      }
    }
  }
  // The model is written to a temporary folder beside it and renamed into place: its parent must be writable.
  const problem = creationProblem(existingAncestor(path));
  if (problem) throw new ConfigError(`--${flag} ${path} cannot be written: ${problem}; choose another folder`, flag, path);
}
