import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '@ektm/core';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Makes `dir` this process's for the length of a search (`dir/.lock` holds the pid), so that two searches never
 * append to one trials file. A lock left by a process that no longer runs (killed) is taken over. Returns the release.
 *
 * @throws ConfigError (key `out`) when another running process holds the folder.
 */
export function lockSearchDir(dir: string): () => void {
  const path = join(dir, '.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number.parseInt(readFileSync(path, 'utf8'), 10);
      if (Number.isInteger(holder) && holder !== process.pid && alive(holder)) {
        throw new ConfigError(
          `${dir} is in use by another ektm tune (process ${holder}); wait for it to finish or use another --out`,
          'out',
          path,
        );
      }
      rmSync(path, { force: true });
    }
  }
  throw new ConfigError(`cannot lock ${dir} (${path} keeps coming back); is another ektm tune starting there?`, 'out', path);
}
