/**
 * Finds the code examples of the guides and of the packages' READMEs that the test suite runs: fenced blocks whose
 * info string is `ts runnable` in `docs/*.md` and `packages/<name>/README.md`. Kept apart from the test so that its parsing is tested too.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One runnable example: where it is and its source. */
export interface RunnableExample {
  /** Guide file name, e.g. `getting-started.md`. */
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** The TypeScript source between the fences. */
  code: string;
}

/** Every ```` ```ts runnable ```` block of a markdown text, in order. */
export function extractRunnable(markdown: string, file: string): RunnableExample[] {
  const lines = markdown.split('\n');
  const out: RunnableExample[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,})ts\s+runnable\s*$/.exec(lines[i]!);
    if (!open) continue;
    const fence = open[2]!;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !new RegExp(`^\\s*${fence}\\s*$`).test(lines[j]!); j++) body.push(lines[j]!);
    if (j === lines.length) throw new Error(`${file}:${i + 1}: runnable block is never closed`);
    out.push({ file, line: i + 1, code: body.join('\n') });
    i = j;
  }
  return out;
}

/** Every runnable example of the guides in `dir` (not in subfolders such as `api/` or `internals/`). */
export function runnableExamples(dir: string): RunnableExample[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .sort()
    .flatMap((f) => extractRunnable(readFileSync(join(dir, f), 'utf8'), f));
}

/** Every runnable example of the packages' READMEs (`packages/<name>/README.md`), named `<name>/README.md`. */
export function packageReadmeExamples(packagesDir: string): RunnableExample[] {
  return readdirSync(packagesDir)
    .sort()
    .filter((name) => existsSync(join(packagesDir, name, 'README.md')))
    .flatMap((name) => extractRunnable(readFileSync(join(packagesDir, name, 'README.md'), 'utf8'), `${name}/README.md`));
}
