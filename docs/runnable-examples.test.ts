/**
 * Runs every ```ts runnable block of the guides (docs/*.md) and of the packages' READMEs, so that the examples never
 * drift from the code.
 * Each block is written to node_modules/.cache/ektm-docs-examples/ (inside the project, so that imports resolve
 * like any test file's, and ignored by git) and imported; a block that throws (its own `assert`s included)
 * fails its test.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { extractRunnable, packageReadmeExamples, runnableExamples } from './runnable-examples.js';

const docsDir = dirname(fileURLToPath(import.meta.url));
const workDir = join(docsDir, '..', 'node_modules', '.cache', 'ektm-docs-examples');
const packagesDir = join(docsDir, '..', 'packages');
const examples = [...runnableExamples(docsDir), ...packageReadmeExamples(packagesDir)];

describe('extractRunnable', () => {
  it('takes only ts blocks marked runnable, with their line', () => {
    const md = ['# t', '```ts', 'skip()', '```', '', '```ts runnable', 'a()', 'b()', '```', '````ts runnable', '```x```', '````'].join(
      '\n',
    );
    expect(extractRunnable(md, 'x.md')).toEqual([
      { file: 'x.md', line: 6, code: 'a()\nb()' },
      { file: 'x.md', line: 10, code: '```x```' },
    ]);
    expect(() => extractRunnable('```ts runnable\nopen', 'y.md')).toThrow('y.md:1: runnable block is never closed');
  });
});

describe('the guides', () => {
  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  it('have runnable examples in the main guides', () => {
    const files = new Set(examples.map((e) => e.file));
    for (const guide of [
      'getting-started.md',
      'custom-architecture.md',
      'datasets.md',
      'training.md',
      'metrics.md',
      'saving-and-serving.md',
    ]) {
      expect(files.has(guide), `${guide} has a runnable example`).toBe(true);
    }
    // Every package's README shows a runnable example (install, example, API link).
    for (const name of readdirSync(packagesDir))
      expect(files.has(`${name}/README.md`), `packages/${name}/README.md has a runnable example`).toBe(true);
  });

  for (const example of examples) {
    it(`${example.file}:${example.line} runs`, async () => {
      mkdirSync(workDir, { recursive: true });
      const path = join(workDir, `${example.file.replace(/\.md$/, '').replace('/', '-')}-${example.line}.ts`);
      writeFileSync(path, `${example.code}\nexport {};\n`);
      await import(/* @vite-ignore */ pathToFileURL(path).href);
    }, 300_000);
  }
});
