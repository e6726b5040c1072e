/**
 * Finds the shell commands of the README, the guides and the packages' READMEs (fenced `sh`, `bash` or `shell`
 * blocks), so that docs/shell-commands.test.ts runs every one of them. Kept apart from the test so that its parsing
 * is tested too.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One shell command of the docs: where it is and what it runs. */
export interface ShellCommand {
  /** Markdown file, relative to the repository root (`docs/training.md`). */
  file: string;
  /** 1-based line of the command's first line. */
  line: number;
  /** The command, continuation lines joined, the trailing `# comment` removed. */
  command: string;
}

/** The line without a trailing `# comment` (a `#` outside quotes, after a space). */
function withoutComment(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) return line.slice(0, i);
  }
  return line;
}

/** Every command of the ```sh / ```bash / ```shell blocks of a markdown text, in order. */
export function extractShellCommands(markdown: string, file: string): ShellCommand[] {
  const lines = markdown.split('\n');
  const out: ShellCommand[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^```(sh|bash|shell)\s*$/.test(lines[i]!)) continue;
    let j = i + 1;
    let pending: { line: number; parts: string[] } | undefined;
    for (; j < lines.length && !/^```\s*$/.test(lines[j]!); j++) {
      const text = withoutComment(lines[j]!).trimEnd();
      if (text.trim() === '') continue;
      const continued = text.endsWith('\\');
      const part = (continued ? text.slice(0, -1) : text).trim();
      pending ??= { line: j + 1, parts: [] };
      pending.parts.push(part);
      if (!continued) {
        out.push({ file, line: pending.line, command: pending.parts.join(' ') });
        pending = undefined;
      }
    }
    if (j === lines.length) throw new Error(`${file}:${i + 1}: shell block is never closed`);
    if (pending) throw new Error(`${file}:${pending.line}: the block ends inside a continued command`);
    i = j;
  }
  return out;
}

/** The markdown files whose commands are run: README.md, docs/*.md, packages/<name>/README.md. */
export function documentedFiles(root: string): string[] {
  const docs = readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`);
  const readmes = readdirSync(join(root, 'packages'))
    .sort()
    .map((p) => `packages/${p}/README.md`)
    .filter((f) => existsSync(join(root, f)));
  return ['README.md', ...docs, ...readmes];
}

/** Every shell command of the documented files, in file order. */
export function shellCommands(root: string): ShellCommand[] {
  return documentedFiles(root).flatMap((f) => extractShellCommands(readFileSync(join(root, f), 'utf8'), f));
}
